// Commands that create coaching records: `rep add|list`, `session new`,
// `observe` and `action add`. Referenced records are checked to exist and to
// have the right type before anything is written.
#include <algorithm>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli_context.h"
#include "output.h"
#include "ridealong/core/records.h"
#include "ridealong/core/schema.h"
#include "time_arg.h"

namespace ridealong::cli {

namespace {

using core::ChangeBuilder;
using core::FieldList;
using core::Value;
namespace types = core::types;

// The allowed values of an enum field, straight from the schema.
std::vector<std::string> choicesOf(std::string_view type, std::string_view field) {
  std::vector<std::string> out;
  if (auto* t = core::findType(type))
    if (auto* f = t->field(field))
      for (auto c : f->choices) out.emplace_back(c);
  return out;
}

CLI::Validator dateValidator() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        return core::parseDate(s) ? std::string() : "'" + s + "' is not a date YYYY-MM-DD";
      },
      "YYYY-MM-DD");
}

CLI::Validator timeValidator() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        return parseTimeArg(s) ? std::string()
                               : "'" + s + "' is not a time (ms since epoch or ISO 8601, e.g. 2026-01-05T09:30Z)";
      },
      "ISO|ms");
}

// Commits one change creating a record and prints its id.
Status createAndPrint(core::Notebook& nb, std::string_view type, const FieldList& fields) {
  ChangeBuilder change;
  core::RecordId id = nb.newId();
  change.create(id, std::string(type), fields);
  auto committed = nb.commit(change);
  if (!committed) return committed.status();
  fmt::print("{}\n", id.str());
  return Status::ok();
}

void addIfSet(FieldList& fields, const char* name, const std::string& value) {
  if (!value.empty()) fields.emplace_back(name, Value(value));
}

// ---- rep ----

struct RepAddArgs {
  std::string name, team, territory, email;
};

Status repAdd(CliContext& ctx, const RepAddArgs& a) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  FieldList fields = {{"name", Value(a.name)}};
  addIfSet(fields, "team", a.team);
  addIfSet(fields, "territory", a.territory);
  addIfSet(fields, "email", a.email);
  return createAndPrint(**nb, types::kRep, fields);
}

Status repList(CliContext& ctx, bool json) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  std::vector<core::Rep> reps;
  for (auto& r : (*nb)->listType(types::kRep)) reps.push_back(core::Rep::from(r));
  std::stable_sort(reps.begin(), reps.end(), [](const core::Rep& a, const core::Rep& b) {
    return a.name != b.name ? a.name < b.name : a.id < b.id;
  });
  if (json) {
    Json out = Json::array();
    for (auto& r : reps)
      out.push_back({{"id", r.id.str()}, {"name", r.name}, {"team", r.team}, {"territory", r.territory},
                     {"email", r.email}});
    fmt::print("{}", jsonText(out));
    return Status::ok();
  }
  std::vector<std::vector<std::string>> rows;
  for (auto& r : reps) rows.push_back({r.id.str(), r.name, r.team, r.territory});
  printTable({"ID", "NAME", "TEAM", "TERRITORY"}, rows);
  return Status::ok();
}

// ---- session ----

struct SessionArgs {
  std::string rep, type, area, objective, customer, start;
};

Status sessionNew(CliContext& ctx, const SessionArgs& a) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  auto rep = requireRecord(**nb, a.rep, types::kRep, "--rep", false);
  if (!rep) return rep.status();
  int64_t now = ctx.nowMs();
  int64_t start = a.start.empty() ? now : parseTimeArg(a.start).value_or(now);
  FieldList fields = {{"rep", Value(rep->id.str())},
                      {"start", Value(start)},
                      {"type", Value(a.type)},
                      {"area", Value(a.area)},
                      {"status", Value(start > now ? "planned" : "in_progress")}};
  addIfSet(fields, "objective", a.objective);
  addIfSet(fields, "customer", a.customer);
  return createAndPrint(**nb, types::kSession, fields);
}

// ---- observe ----

struct ObserveArgs {
  std::string session, skill, kind, text;
  int rating = 0;
};

Status observe(CliContext& ctx, const ObserveArgs& a) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  auto session = requireRecord(**nb, a.session, types::kSession, "--session", false);
  if (!session) return session.status();
  FieldList fields = {{"session", Value(session->id.str())}};
  // The rep is the session's: observations are filed per rep as well.
  if (std::string rep = session->text("rep"); !rep.empty()) fields.emplace_back("rep", Value(rep));
  fields.emplace_back("at", Value(ctx.nowMs()));
  fields.emplace_back("skill", Value(a.skill));
  fields.emplace_back("kind", Value(a.kind));
  fields.emplace_back("text", Value(a.text));
  if (a.rating) fields.emplace_back("rating", Value(a.rating));
  return createAndPrint(**nb, types::kObservation, fields);
}

// ---- action ----

struct ActionArgs {
  std::string rep, session, text, due, owner = "rep";
};

Status actionAdd(CliContext& ctx, const ActionArgs& a) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  auto rep = requireRecord(**nb, a.rep, types::kRep, "--rep", false);
  if (!rep) return rep.status();
  FieldList fields = {{"rep", Value(rep->id.str())}};
  if (!a.session.empty()) {
    auto session = requireRecord(**nb, a.session, types::kSession, "--session", false);
    if (!session) return session.status();
    if (std::string sessionRep = session->text("rep"); !sessionRep.empty() && sessionRep != rep->id.str())
      return Status::invalidArgument("--session: session " + session->id.str() + " is with rep " + sessionRep +
                                     ", not " + rep->id.str());
    fields.emplace_back("session", Value(session->id.str()));
  }
  fields.emplace_back("text", Value(a.text));
  fields.emplace_back("owner", Value(a.owner));
  fields.emplace_back("due", Value(a.due));
  fields.emplace_back("status", Value("open"));
  return createAndPrint(**nb, types::kAction, fields);
}

}  // namespace

void addRecordCommands(CLI::App& app, CliContext& ctx) {
  auto* rep = app.add_subcommand("rep", "The reps (sellers) you coach");
  rep->require_subcommand(1);
  {
    auto a = std::make_shared<RepAddArgs>();
    auto* cmd = rep->add_subcommand("add", "Add a rep; prints the new id");
    cmd->add_option("--name", a->name, "Full name")->required();
    cmd->add_option("--team", a->team, "Team");
    cmd->add_option("--territory", a->territory, "Territory");
    cmd->add_option("--email", a->email, "Email address");
    cmd->callback([&ctx, a] { ctx.run = [&ctx, a] { return repAdd(ctx, *a); }; });
  }
  {
    auto json = std::make_shared<bool>(false);
    auto* cmd = rep->add_subcommand("list", "List reps (id, name, team, territory)");
    cmd->add_flag("--json", *json, "Print a JSON array instead of a table");
    cmd->callback([&ctx, json] { ctx.run = [&ctx, json] { return repList(ctx, *json); }; });
  }

  auto* session = app.add_subcommand("session", "Coaching sessions (ride-alongs)");
  session->require_subcommand(1);
  {
    auto a = std::make_shared<SessionArgs>();
    auto* cmd = session->add_subcommand("new", "Start or plan a session; prints the new id");
    cmd->add_option("--rep", a->rep, "Id of the rep coached")->required();
    cmd->add_option("--type", a->type, "Coaching type")
        ->required()
        ->check(CLI::IsMember(choicesOf(types::kSession, "type")));
    cmd->add_option("--area", a->area, "Coaching area")
        ->required()
        ->check(CLI::IsMember(choicesOf(types::kSession, "area")));
    cmd->add_option("--objective", a->objective, "Pre-call objective");
    cmd->add_option("--customer", a->customer, "Customer visited");
    cmd->add_option("--start", a->start,
                    "Start time, ISO 8601 (UTC unless an offset is given) or ms since epoch; default now. "
                    "A future start makes the session 'planned', otherwise it is 'in_progress'")
        ->check(timeValidator());
    cmd->callback([&ctx, a] { ctx.run = [&ctx, a] { return sessionNew(ctx, *a); }; });
  }

  {
    auto a = std::make_shared<ObserveArgs>();
    auto* cmd = app.add_subcommand("observe", "Capture an observation during a session; prints the new id");
    cmd->add_option("--session", a->session, "Id of the session")->required();
    cmd->add_option("--skill", a->skill, "Skill or behaviour observed")->required();
    cmd->add_option("--kind", a->kind, "Strength or needs improvement")
        ->required()
        ->check(CLI::IsMember(choicesOf(types::kObservation, "kind")));
    cmd->add_option("--text", a->text, "What happened")->required();
    cmd->add_option("--rating", a->rating, "Rating 1..5")->check(CLI::Range(1, 5));
    cmd->callback([&ctx, a] { ctx.run = [&ctx, a] { return observe(ctx, *a); }; });
  }

  auto* action = app.add_subcommand("action", "Action items of a development plan");
  action->require_subcommand(1);
  {
    auto a = std::make_shared<ActionArgs>();
    auto* cmd = action->add_subcommand("add", "Add an action item; prints the new id");
    cmd->add_option("--rep", a->rep, "Id of the rep")->required();
    cmd->add_option("--session", a->session, "Id of the session it came from");
    cmd->add_option("--text", a->text, "What is to be done")->required();
    cmd->add_option("--due", a->due, "Due date")->required()->check(dateValidator());
    cmd->add_option("--owner", a->owner, "Who does it (default rep)")
        ->check(CLI::IsMember(choicesOf(types::kAction, "owner")));
    cmd->callback([&ctx, a] { ctx.run = [&ctx, a] { return actionAdd(ctx, *a); }; });
  }
}

}  // namespace ridealong::cli
