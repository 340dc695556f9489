// ridealong-cli entry point: builds the Env and the command tree, parses,
// then runs the one chosen command. Exit codes: 0 success, 2 usage error
// (nothing was touched), 1 any other error; errors go to stderr prefixed
// "ridealong-cli: ".
#include <exception>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli_context.h"
#include "output.h"
#include "ridealong/platform/data_dir.h"

namespace {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

}  // namespace

int main(int argc, char** argv) {
  using namespace ridealong;
  cli::CliContext ctx{platform::realEnv(), platform::defaultDataDir(), {}};

  CLI::App app("Ridealong: an offline-first coaching notebook for field sales managers", "ridealong-cli");
  app.require_subcommand(1);
  // Lets --data also follow the subcommand name.
  app.fallthrough();
  app.add_option("--data", ctx.dataDir, "Notebook directory")->capture_default_str();
  cli::addDataCommands(app, ctx);
  cli::addRecordCommands(app, ctx);
  cli::addTeamCommands(app, ctx);
  cli::addEditCommands(app, ctx);
  cli::addChangesCommands(app, ctx);
  cli::addSyncCommands(app, ctx);
  // Set after the subcommands exist so that they do not inherit it.
  app.footer("Run `ridealong-cli COMMAND --help` for the options of a command.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help and friends
    cli::printError(e.what());
    fmt::print(stderr, "Run with --help for usage.\n");
    return kExitUsage;
  }
  if (!ctx.run) {
    cli::printError("no command given; run with --help for usage");
    return kExitUsage;
  }
  try {
    Status st = ctx.run();
    if (!st) {
      cli::printError(cli::statusText(st));
      return kExitError;
    }
  } catch (const std::exception& e) {
    // Exceptions mean a broken invariant somewhere below; still exit cleanly.
    cli::printError(std::string("internal error: ") + e.what());
    return kExitError;
  }
  return 0;
}
