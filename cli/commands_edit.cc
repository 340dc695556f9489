// Commands on any existing record: `set`, `delete`, `restore`, `show`, and
// conflict handling (`conflicts`, `resolve`). Values are parsed with the
// schema of the record's own type.
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli_context.h"
#include "output.h"
#include "ridealong/core/json.h"
#include "ridealong/core/schema.h"

namespace ridealong::cli {

namespace {

struct SetArgs {
  std::string id, field, value;
};

// A plain set: the change's deps are this device's whole version vector, so
// it supersedes every value now held, conflict siblings included.
Status setField(CliContext& ctx, const SetArgs& a, bool resolving) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  auto record = requireRecord(**nb, a.id, {}, "", true);
  if (!record) return record.status();
  auto value = core::parseFieldValue(record->type, a.field, a.value);
  if (!value) return value.status();
  if (resolving) {
    const core::Field* f = record->field(a.field);
    if (!f || !f->conflicted())
      fmt::print(stderr, "ridealong-cli: note: {} {} has no conflict on '{}'; setting it anyway\n", record->type,
                 record->id.str(), a.field);
  }
  core::ChangeBuilder change;
  change.set(record->id, a.field, std::move(*value));
  auto committed = (*nb)->commit(change);
  return committed ? Status::ok() : committed.status();
}

Status setDeleted(CliContext& ctx, const std::string& idText, bool deleted) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  auto record = requireRecord(**nb, idText, {}, "", true);
  if (!record) return record.status();
  if (record->deleted() == deleted) {
    fmt::print(stderr, "ridealong-cli: note: {} {} is {}\n", record->type, record->id.str(),
               deleted ? "already deleted" : "not deleted");
    return Status::ok();
  }
  core::ChangeBuilder change;
  if (deleted) change.remove(record->id);
  else change.restore(record->id);
  auto committed = (*nb)->commit(change);
  return committed ? Status::ok() : committed.status();
}

Status show(CliContext& ctx, const std::string& idText, bool json) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  auto record = requireRecord(**nb, idText, {}, "", true);
  if (!record) return record.status();
  fmt::print("{}", json ? jsonText(core::recordToJson(*record)) : showRecord(*record));
  return Status::ok();
}

Status listConflicts(CliContext& ctx, bool json) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  auto read = (*nb)->conflicts();
  if (!read) return read.status();
  const auto& conflicts = *read;
  if (json) {
    Json out = Json::array();
    for (auto& c : conflicts) out.push_back(conflictJson(c));
    fmt::print("{}", jsonText(out));
    return Status::ok();
  }
  if (conflicts.empty()) {
    fmt::print("no conflicts\n");
    return Status::ok();
  }
  for (auto& c : conflicts) {
    fmt::print("{} {} {}\n", c.record.str(), c.type, c.field);
    for (size_t i = 0; i < c.values.size(); i++) {
      const auto& v = c.values[i];
      fmt::print("  {:<8} {}   ({})\n", i == 0 ? "winner:" : "sibling:", displayValue(c.type, c.field, v.value),
                 describeStamp(v.stamp));
    }
  }
  fmt::print("{} conflict(s); keep one with: ridealong-cli resolve ID FIELD VALUE\n", conflicts.size());
  return Status::ok();
}

void addSetLike(CLI::App& app, CliContext& ctx, const char* name, const char* help, bool resolving) {
  auto a = std::make_shared<SetArgs>();
  auto* cmd = app.add_subcommand(name, help);
  cmd->add_option("ID", a->id, "Record id")->required();
  cmd->add_option("FIELD", a->field, "Field name")->required();
  cmd->add_option("VALUE", a->value, "New value (parsed for the field's kind)")->required();
  cmd->callback([&ctx, a, resolving] { ctx.run = [&ctx, a, resolving] { return setField(ctx, *a, resolving); }; });
}

}  // namespace

void addEditCommands(CLI::App& app, CliContext& ctx) {
  addSetLike(app, ctx, "set", "Set one field of a record", false);
  addSetLike(app, ctx, "resolve", "Settle a conflict: set the field to VALUE, replacing every concurrent value", true);

  for (bool deleted : {true, false}) {
    auto id = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand(deleted ? "delete" : "restore", deleted ? "Move a record to the trash (restorable)"
                                                                           : "Bring a record back from the trash");
    cmd->add_option("ID", *id, "Record id")->required();
    cmd->callback([&ctx, id, deleted] { ctx.run = [&ctx, id, deleted] { return setDeleted(ctx, *id, deleted); }; });
  }

  {
    auto id = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("show", "Show one record, conflicts marked");
    cmd->add_option("ID", *id, "Record id")->required();
    cmd->add_flag("--json", *json, "Print JSON (the export shape)");
    cmd->callback([&ctx, id, json] { ctx.run = [&ctx, id, json] { return show(ctx, *id, *json); }; });
  }
  {
    auto json = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("conflicts", "List fields holding concurrent values");
    cmd->add_flag("--json", *json, "Print JSON");
    cmd->callback([&ctx, json] { ctx.run = [&ctx, json] { return listConflicts(ctx, *json); }; });
  }
}

}  // namespace ridealong::cli
