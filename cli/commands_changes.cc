// `changes export|apply|vv`: moving changes between notebooks as files (the
// format of core/change_stream.h), e.g. laptop -> USB stick -> tablet.
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli_context.h"
#include "ridealong/core/change_stream.h"
#include "ridealong/core/trouble.h"

namespace ridealong::cli {

namespace {

constexpr std::string_view kStreamMagic = "RIDECHG1";

// --since takes a change file exported earlier (what the other side already
// has) or a version vector JSON from `changes vv`.
Result<core::VersionVector> loadSince(CliContext& ctx, const std::string& file) {
  auto text = ctx.env.fs().readFile(file);
  if (!text) return text.status();
  if (text->compare(0, kStreamMagic.size(), kStreamMagic) == 0) {
    auto changes = core::decodeChangeStream(*text);
    if (!changes) return changes.status().withContext("--since " + file);
    return core::versionVectorOf(*changes);
  }
  auto vv = core::versionVectorFromJson(*text);
  if (!vv) return vv.status().withContext("--since " + file + " (neither a change file nor version vector JSON)");
  return vv;
}

Status exportChanges(CliContext& ctx, const std::string& since, const std::string& out) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  core::VersionVector vv;
  if (!since.empty()) {
    auto loaded = loadSince(ctx, since);
    if (!loaded) return loaded.status();
    vv = std::move(*loaded);
  }
  auto changes = (*nb)->changesSince(vv);
  if (!changes) return changes.status();
  std::string bytes = core::encodeChangeStream(*changes);
  RIDEALONG_RETURN_IF_ERROR(ctx.env.fs().writeFileAtomic(out, bytes));
  fmt::print(stderr, "changes export: {} changes to {} ({} bytes)\n", changes->size(), out, bytes.size());
  return Status::ok();
}

Status applyChanges(CliContext& ctx, const std::string& file) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  auto bytes = ctx.env.fs().readFile(file);
  if (!bytes) return bytes.status();
  int64_t start = ctx.env.clock().monoNs();
  auto changes = core::decodeChangeStream(*bytes);
  if (!changes) return changes.status().withContext(file);
  auto report = (*nb)->applyChanges(*changes);
  if (!report) return report.status().withContext(file);
  fmt::print(stderr, "changes apply: {} changes read, {} applied, {} duplicates, {} pending in {:.1f} ms\n",
             changes->size(), report->applied, report->duplicates, report->pending, elapsedMs(ctx.env, start));
  if (report->quarantined > 0)
    fmt::print(stderr, "changes apply: {} set aside (cannot be applied; `sync status` says why)\n",
               report->quarantined);
  // Changes of this very device from another copy of the notebook: heal.
  auto rekeyed = core::settleArrivals(**nb, report->conflictingDuplicates > 0, report->ownFromElsewhere > 0);
  if (!rekeyed) return rekeyed.status().withContext(file);
  if (*rekeyed)
    fmt::print(stderr,
               "changes apply: the file holds changes written as this device by another copy of this "
               "notebook; it now writes as device {} ({} of its changes re-issued), nothing lost\n",
               (*rekeyed)->newId.str(), (*rekeyed)->reissued);
  return Status::ok();
}

Status printVersionVector(CliContext& ctx) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  auto vv = (*nb)->versionVector();
  if (!vv) return vv.status();
  std::string text = core::versionVectorToJson(*vv);
  if (text.empty() || text.back() != '\n') text += '\n';
  fmt::print("{}", text);
  return Status::ok();
}

}  // namespace

void addChangesCommands(CLI::App& app, CliContext& ctx) {
  auto* changes = app.add_subcommand("changes", "Exchange changes with another notebook through files");
  changes->require_subcommand(1);
  {
    auto since = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto* cmd = changes->add_subcommand("export", "Write the changes another notebook lacks to a change file");
    cmd->add_option("--since", *since,
                    "What the other side has: a change file exported earlier or a `changes vv` JSON file "
                    "(default: export everything)");
    cmd->add_option("--out", *out, "Change file to write")->required();
    cmd->callback([&ctx, since, out] { ctx.run = [&ctx, since, out] { return exportChanges(ctx, *since, *out); }; });
  }
  {
    auto file = std::make_shared<std::string>();
    auto* cmd = changes->add_subcommand("apply", "Apply a change file (idempotent; a damaged file changes nothing)");
    cmd->add_option("FILE", *file, "Change file")->required();
    cmd->callback([&ctx, file] { ctx.run = [&ctx, file] { return applyChanges(ctx, *file); }; });
  }
  {
    auto* cmd = changes->add_subcommand("vv", "Print this notebook's version vector as JSON (for --since)");
    cmd->callback([&ctx] { ctx.run = [&ctx] { return printVersionVector(ctx); }; });
  }
}

}  // namespace ridealong::cli
