// Commands that move data in bulk or set a notebook up: `init`, `export`,
// `import reps`, `import-jsonl`, `dump` and `demo`. Imports are all or
// nothing (core/import.h); long runs end with a one-line summary on stderr.
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli_context.h"
#include "output.h"
#include "ridealong/core/demo.h"
#include "ridealong/core/import.h"
#include "ridealong/core/starter.h"

namespace ridealong::cli {

namespace {

// A new notebook starts with the standard competency model and a coaching
// guide (core/starter.h) unless --empty; an existing one is left as it is.
Status init(CliContext& ctx, bool empty) {
  bool existed = ctx.env.fs().exists(ctx.dataDir + "/device.id");
  auto nb = ctx.open(/*create=*/true);
  if (!nb) return nb.status();
  auto device = (*nb)->device();
  if (!device) return device.status();
  int added = 0;
  if (!existed && !empty) {
    auto r = core::addStarterContent(**nb);
    if (!r) return r.status().withContext("adding the starter competency model");
    added = *r;
  }
  fmt::print("{} notebook in {} (device {})\n", existed ? "already initialised:" : "initialised", ctx.dataDir,
             device->str());
  if (added)
    fmt::print(
        "added a standard competency model of {} skills and a ride-along coaching guide "
        "(edit or remove them in the app's Settings; init --empty starts without them)\n",
        added - 1);
  return Status::ok();
}

struct ExportArgs {
  std::string format, type, out;
};

Status exportRecords(CliContext& ctx, const ExportArgs& a) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  auto text = a.format == "json" ? core::exportJson(**nb, a.type) : core::exportCsv(**nb, a.type);
  if (!text) return text.status();
  if (a.out.empty() || a.out == "-") {
    fmt::print("{}", *text);
    return Status::ok();
  }
  RIDEALONG_RETURN_IF_ERROR(ctx.env.fs().writeFileAtomic(a.out, *text));
  fmt::print(stderr, "export: wrote {} ({} bytes)\n", a.out, text->size());
  return Status::ok();
}

using Importer = Result<core::ImportReport> (*)(core::Notebook&, std::string_view, const std::string&);

Status importFile(CliContext& ctx, const std::string& file, Importer importer, const char* label) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  auto text = ctx.env.fs().readFile(file);
  if (!text) return text.status();
  int64_t start = ctx.env.clock().monoNs();
  auto report = importer(**nb, *text, file);
  if (!report) return report.status();
  fmt::print(stderr, "{}: {} lines, {} changes, {} records created in {:.1f} ms\n", label, report->lines,
             report->changes, report->records, elapsedMs(ctx.env, start));
  return Status::ok();
}

Status dump(CliContext& ctx) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  // A failed read is an error (exit 1 with its message), never a shorter or
  // empty dump: replicas are compared by their dumps.
  auto dumped = (*nb)->dump();
  if (!dumped) return dumped.status().withContext("dump");
  std::string text = std::move(dumped).value();
  if (text.empty() || text.back() != '\n') text += '\n';
  fmt::print("{}", text);
  return Status::ok();
}

Status demo(CliContext& ctx, const core::DemoOptions& given) {
  auto nb = ctx.open(/*create=*/true);
  if (!nb) return nb.status();
  core::DemoOptions options = given;
  options.nowMs = ctx.nowMs();
  int64_t start = ctx.env.clock().monoNs(), lastReport = start;
  auto progress = [&](int done, int total) {
    int64_t now = ctx.env.clock().monoNs();
    if (now - lastReport < 1'000'000'000LL) return;  // at most one line a second
    lastReport = now;
    fmt::print(stderr, "demo: {}/{}\n", done, total);
  };
  auto report = core::generateDemo(**nb, options, progress);
  if (!report) return report.status();
  fmt::print(stderr,
             "demo: {} reps, {} skills, {} guides, {} sessions held + {} planned + {} missed, {} observations, "
             "{} actions, {} goals, {} ratings in {:.0f} ms\n",
             report->reps, report->skills, report->templates, report->sessions, report->planned, report->missed,
             report->observations, report->actions, report->goals, report->ratings, elapsedMs(ctx.env, start));
  return Status::ok();
}

}  // namespace

void addDataCommands(CLI::App& app, CliContext& ctx) {
  {
    auto empty = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("init", "Create the notebook (device id and store) in the data dir");
    cmd->add_flag("--empty", *empty, "Start without the standard competency model and coaching guide");
    cmd->callback([&ctx, empty] { ctx.run = [&ctx, empty] { return init(ctx, *empty); }; });
  }
  {
    auto a = std::make_shared<ExportArgs>();
    auto* cmd = app.add_subcommand("export", "Export records as JSON or CSV");
    cmd->add_option("--format", a->format, "Output format")->required()->check(CLI::IsMember({"json", "csv"}));
    cmd->add_option("--type", a->type,
                    "Only this record type (CSV: one column per field); default all types (CSV: id,type,field,value)");
    cmd->add_option("--out", a->out, "Output file (default stdout)");
    cmd->callback([&ctx, a] { ctx.run = [&ctx, a] { return exportRecords(ctx, *a); }; });
  }
  {
    auto* import = app.add_subcommand("import", "Import records from files (all or nothing)");
    import->require_subcommand(1);
    auto file = std::make_shared<std::string>();
    auto* cmd = import->add_subcommand("reps",
                                       "Import reps from CSV: header row with name (required), team, "
                                       "territory, email");
    cmd->add_option("FILE", *file, "CSV file")->required();
    cmd->callback([&ctx, file] {
      ctx.run = [&ctx, file] { return importFile(ctx, *file, &core::importRepsCsv, "import reps"); };
    });
  }
  {
    auto file = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("import-jsonl", "Import a benchmark workload (JSON Lines, one change per line)");
    cmd->add_option("FILE", *file, "JSON Lines file")->required();
    cmd->callback([&ctx, file] {
      ctx.run = [&ctx, file] { return importFile(ctx, *file, &core::importJsonl, "import-jsonl"); };
    });
  }
  {
    auto* cmd = app.add_subcommand("dump", "Print the canonical JSON of the whole notebook");
    cmd->callback([&ctx] { ctx.run = [&ctx] { return dump(ctx); }; });
  }
  {
    auto o = std::make_shared<core::DemoOptions>();
    auto* cmd = app.add_subcommand("demo", "Fill the notebook with a realistic generated team (initialises if needed)");
    cmd->add_option("--reps", o->reps, "Number of reps")->capture_default_str()->check(CLI::PositiveNumber);
    cmd->add_option("--weeks", o->weeks, "Weeks of history")->capture_default_str()->check(CLI::PositiveNumber);
    cmd->add_option("--seed", o->seed, "Random seed (same seed, same notebook)")->capture_default_str();
    cmd->add_option("--sessions", o->sessions, "Total sessions (0 = about one per rep per fortnight)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--observations-per-session", o->observationsPerSession, "Observations per session (0 = 3..9)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->callback([&ctx, o] { ctx.run = [&ctx, o] { return demo(ctx, *o); }; });
  }
}

}  // namespace ridealong::cli
