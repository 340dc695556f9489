// What every ridealong-cli command shares: the Env, the data directory, the
// action chosen by parsing, and helpers to open the notebook and resolve the
// record ids users type. Built once in main(); not thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "ridealong/core/notebook.h"
#include "ridealong/platform/env.h"

namespace CLI {
class App;
}  // namespace CLI

namespace ridealong::cli {

struct CliContext {
  platform::Env& env;
  std::string dataDir;
  // Set by the chosen subcommand's callback and run after parsing succeeds,
  // so a usage error never reaches the store.
  std::function<Status()> run;

  // Opens the existing notebook; NotFound (with the `init` hint) if none.
  Result<std::unique_ptr<core::Notebook>> open(bool create = false);
  int64_t nowMs() { return env.clock().wallMs(); }
};

// Looks up a record the user named on the command line. `what` names the
// option in messages ("--rep"; empty for a positional id); an empty `type`
// accepts any type.
// Deleted records are refused unless `allowDeleted`.
Result<core::Record> requireRecord(core::Notebook& nb, std::string_view text, std::string_view type,
                                   const std::string& what, bool allowDeleted);

// Milliseconds since a monotonic start, for the one-line summaries.
double elapsedMs(platform::Env& env, int64_t startNs);

// Registration of each command group; see the files of the same name.
void addRecordCommands(CLI::App& app, CliContext& ctx);   // rep, session, observe, rate, action, goal
void addTeamCommands(CLI::App& app, CliContext& ctx);     // team
void addEditCommands(CLI::App& app, CliContext& ctx);     // set, delete, restore, show, conflicts, resolve
void addDataCommands(CLI::App& app, CliContext& ctx);     // init, export, import, import-jsonl, dump, demo
void addChangesCommands(CLI::App& app, CliContext& ctx);  // changes export|apply|vv
void addSyncCommands(CLI::App& app, CliContext& ctx);     // space create|invite|join, sync [status]

}  // namespace ridealong::cli
