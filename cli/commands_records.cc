// The coaching commands of the CLI: `rep add|list|style`, `session
// new|start|move|end|finish`, `observe`, `rate`, `action add`, `goal add`.
// Each looks up the records named (present, of the right type) and runs the
// core command (core/coaching.h), which holds the rules.
#include <algorithm>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli_context.h"
#include "output.h"
#include "ridealong/core/coaching.h"
#include "ridealong/core/records.h"
#include "ridealong/core/schema.h"
#include "time_arg.h"

namespace ridealong::cli {

namespace {

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

// Commits one coaching command's change and prints the id of its record.
Status commitAndPrint(core::Notebook& nb, const Result<core::Edit>& edit) {
  if (!edit) return edit.status();
  auto committed = nb.commit(edit->change);
  if (!committed) return committed.status();
  fmt::print("{}\n", edit->id.str());
  return Status::ok();
}

// Runs a command that needs the notebook and the record named by `idText`.
template <typename Fn>
Status withRecord(CliContext& ctx, const std::string& idText, std::string_view type, const std::string& what, Fn&& fn) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  auto rec = requireRecord(**nb, idText, type, what, false);
  if (!rec) return rec.status();
  core::Coach coach(**nb);
  return commitAndPrint(**nb, fn(coach, rec->id));
}

// ---- rep ----

Status repAdd(CliContext& ctx, const core::RepInput& in) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  return commitAndPrint(**nb, core::Coach(**nb).addRep(in));
}

Status repList(CliContext& ctx, bool json) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  auto records = (*nb)->listType(types::kRep);
  if (!records) return records.status();
  std::vector<core::Rep> reps;
  for (auto& r : *records) reps.push_back(core::Rep::from(r));
  std::stable_sort(reps.begin(), reps.end(), [](const core::Rep& a, const core::Rep& b) {
    return a.name != b.name ? a.name < b.name : a.id < b.id;
  });
  if (json) {
    Json out = Json::array();
    for (auto& r : reps)
      out.push_back({{"id", r.id.str()},
                     {"name", r.name},
                     {"team", r.team},
                     {"territory", r.territory},
                     {"email", r.email},
                     {"coaching_style", r.coachingStyle}});
    fmt::print("{}", jsonText(out));
    return Status::ok();
  }
  std::vector<std::vector<std::string>> rows;
  for (auto& r : reps) rows.push_back({r.id.str(), r.name, r.team, r.territory, r.coachingStyle});
  printTable({"ID", "NAME", "TEAM", "TERRITORY", "STYLE"}, rows);
  return Status::ok();
}

struct StyleArgs {
  std::string rep, style, note;
  bool noteGiven = false;
};

// ---- session ----

struct SessionArgs {
  std::string rep, start, guide;
  core::SessionInput in;
};

Status sessionNew(CliContext& ctx, SessionArgs a) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  auto rep = requireRecord(**nb, a.rep, types::kRep, "--rep", false);
  if (!rep) return rep.status();
  if (!a.guide.empty()) {
    auto guide = requireRecord(**nb, a.guide, types::kTemplate, "--guide", false);
    if (!guide) return guide.status();
    a.in.guide = guide->id;
  }
  int64_t now = ctx.nowMs();
  int64_t start = a.start.empty() ? now : parseTimeArg(a.start).value_or(now);
  return commitAndPrint(**nb, core::Coach(**nb).newSession(rep->id, a.in, start, now));
}

// ---- observe ----

struct ObserveArgs {
  std::string session;
  core::ObservationInput in;
  int rating = 0;
};

// ---- action, goal ----

struct ActionArgs {
  std::string rep, session;
  core::ActionInput in;
};

Status actionAdd(CliContext& ctx, ActionArgs a) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  auto rep = requireRecord(**nb, a.rep, types::kRep, "--rep", false);
  if (!rep) return rep.status();
  if (!a.session.empty()) {
    auto session = requireRecord(**nb, a.session, types::kSession, "--session", false);
    if (!session) return session.status();
    a.in.session = session->id;
  }
  return commitAndPrint(**nb, core::Coach(**nb).addAction(rep->id, a.in));
}

struct GoalArgs {
  std::string rep;
  core::GoalInput in;
};

struct RateArgs {
  std::string session, skill;
  int rating = 0;
};

}  // namespace

void addRecordCommands(CLI::App& app, CliContext& ctx) {
  namespace f = core::fields;
  auto* rep = app.add_subcommand("rep", "The reps (sellers) you coach");
  rep->require_subcommand(1);
  {
    auto a = std::make_shared<core::RepInput>();
    auto* cmd = rep->add_subcommand("add", "Add a rep; prints the new id");
    cmd->add_option("--name", a->name, "Full name")->required();
    cmd->add_option("--team", a->team, "Team");
    cmd->add_option("--territory", a->territory, "Territory");
    cmd->add_option("--email", a->email, "Email address");
    cmd->callback([&ctx, a] { ctx.run = [&ctx, a] { return repAdd(ctx, *a); }; });
  }
  {
    auto json = std::make_shared<bool>(false);
    auto* cmd = rep->add_subcommand("list", "List reps (id, name, team, territory, coaching style)");
    cmd->add_flag("--json", *json, "Print a JSON array instead of a table");
    cmd->callback([&ctx, json] { ctx.run = [&ctx, json] { return repList(ctx, *json); }; });
  }
  {
    auto a = std::make_shared<StyleArgs>();
    auto* cmd = rep->add_subcommand("style", "Set how a rep is best coached (shown when planning and in debriefs)");
    cmd->add_option("REP", a->rep, "Id of the rep")->required();
    auto choices = choicesOf(types::kRep, f::rep::kCoachingStyle);
    choices.push_back("none");
    cmd->add_option("--style", a->style, "Coaching style (none clears it)")->required()->check(CLI::IsMember(choices));
    cmd->add_option("--note", a->note, "Why this approach works with this rep")->each([a](const std::string&) {
      a->noteGiven = true;
    });
    cmd->callback([&ctx, a] {
      ctx.run = [&ctx, a] {
        return withRecord(ctx, a->rep, types::kRep, "REP", [&](core::Coach& c, const core::RecordId& id) {
          auto rec = c.load(id, types::kRep, "the rep");
          std::string note = a->noteGiven || !rec ? a->note : core::Rep::from(*rec).coachingNote;
          return c.setCoachingStyle(id, a->style == "none" ? std::string() : a->style, note);
        });
      };
    });
  }

  auto* session = app.add_subcommand("session", "Coaching sessions (ride-alongs)");
  session->require_subcommand(1);
  {
    auto a = std::make_shared<SessionArgs>();
    auto* cmd = session->add_subcommand("new", "Start or plan a session; prints the new id");
    cmd->add_option("--rep", a->rep, "Id of the rep coached")->required();
    cmd->add_option("--type", a->in.type, "Coaching type")
        ->required()
        ->check(CLI::IsMember(choicesOf(types::kSession, f::session::kType)));
    cmd->add_option("--area", a->in.area, "Coaching area")
        ->required()
        ->check(CLI::IsMember(choicesOf(types::kSession, f::session::kArea)));
    cmd->add_option("--objective", a->in.objective, "Pre-call objective");
    cmd->add_option("--customer", a->in.customer, "Customer visited");
    cmd->add_option("--guide", a->guide, "Id of the coaching guide to follow");
    cmd->add_option("--start", a->start,
                    "Start time, ISO 8601 (UTC unless an offset is given) or ms since epoch; default now. "
                    "A future start plans the session; otherwise it is in progress")
        ->check(timeValidator());
    cmd->callback([&ctx, a] { ctx.run = [&ctx, a] { return sessionNew(ctx, *a); }; });
  }
  // Steps of a session's life, each by id: start (a planned one), move,
  // end (the call), finish (the debrief).
  auto step = [&](const char* name, const char* help, auto fn) {
    auto id = std::make_shared<std::string>();
    auto* cmd = session->add_subcommand(name, help);
    cmd->add_option("SESSION", *id, "Id of the session")->required();
    cmd->callback([&ctx, id, fn] {
      ctx.run = [&ctx, id, fn] {
        return withRecord(ctx, *id, types::kSession, "SESSION",
                          [&](core::Coach& c, const core::RecordId& s) { return fn(c, s, ctx.nowMs()); });
      };
    });
    return cmd;
  };
  step("start", "Start a planned session now",
       [](core::Coach& c, const core::RecordId& s, int64_t now) { return c.startPlanned(s, now); });
  step("end", "Stamp the end of a running call",
       [](core::Coach& c, const core::RecordId& s, int64_t now) { return c.endCall(s, now); });
  step("finish", "Finish the debrief: the session is done",
       [](core::Coach& c, const core::RecordId& s, int64_t now) { return c.finishDebrief(s, now); });
  {
    auto start = std::make_shared<std::string>();
    auto* cmd = step("move", "Move a planned session to another time",
                     [start](core::Coach& c, const core::RecordId& s, int64_t now) {
                       return c.reschedule(s, parseTimeArg(*start).value_or(now), now);
                     });
    cmd->add_option("--start", *start, "New start time (ISO 8601 or ms since epoch)")
        ->required()
        ->check(timeValidator());
  }

  {
    auto a = std::make_shared<ObserveArgs>();
    auto* cmd = app.add_subcommand("observe", "Capture an observation during a session; prints the new id");
    cmd->add_option("--session", a->session, "Id of the session")->required();
    cmd->add_option("--skill", a->in.skill, "Skill or behaviour observed")->required();
    cmd->add_option("--kind", a->in.kind, "Strength or needs improvement")
        ->required()
        ->check(CLI::IsMember(choicesOf(types::kObservation, f::observation::kKind)));
    cmd->add_option("--text", a->in.text, "What happened")->required();
    cmd->add_option("--rating", a->rating, "Rating 1..5")->check(CLI::Range(1, 5));
    cmd->callback([&ctx, a] {
      ctx.run = [&ctx, a] {
        if (a->rating) a->in.rating = a->rating;
        return withRecord(ctx, a->session, types::kSession, "--session",
                          [&](core::Coach& c, const core::RecordId& s) { return c.capture(s, a->in, ctx.nowMs()); });
      };
    });
  }
  {
    auto a = std::make_shared<RateArgs>();
    auto* cmd = app.add_subcommand("rate", "Rate a skill in a session (1..5; rating it again updates it)");
    cmd->add_option("--session", a->session, "Id of the session")->required();
    cmd->add_option("--skill", a->skill, "Skill rated")->required();
    cmd->add_option("--rating", a->rating, "Rating 1..5")->required()->check(CLI::Range(1, 5));
    cmd->callback([&ctx, a] {
      ctx.run = [&ctx, a] {
        return withRecord(ctx, a->session, types::kSession, "--session", [&](core::Coach& c, const core::RecordId& s) {
          return c.rate(s, a->skill, a->rating, ctx.nowMs());
        });
      };
    });
  }

  auto* action = app.add_subcommand("action", "Action items of a development plan");
  action->require_subcommand(1);
  {
    auto a = std::make_shared<ActionArgs>();
    auto* cmd = action->add_subcommand("add", "Add an action item; prints the new id");
    cmd->add_option("--rep", a->rep, "Id of the rep")->required();
    cmd->add_option("--session", a->session, "Id of the session it came from (the same rep's)");
    cmd->add_option("--text", a->in.text, "What is to be done")->required();
    cmd->add_option("--due", a->in.due, "Due date")->required()->check(dateValidator());
    cmd->add_option("--owner", a->in.owner, "Who does it (default rep)")
        ->check(CLI::IsMember(choicesOf(types::kAction, f::action::kOwner)));
    cmd->callback([&ctx, a] { ctx.run = [&ctx, a] { return actionAdd(ctx, *a); }; });
  }
  auto* goal = app.add_subcommand("goal", "Development goals of a rep");
  goal->require_subcommand(1);
  {
    auto a = std::make_shared<GoalArgs>();
    auto* cmd = goal->add_subcommand("add", "Add a goal; prints the new id");
    cmd->add_option("--rep", a->rep, "Id of the rep")->required();
    cmd->add_option("--text", a->in.text, "The goal")->required();
    cmd->add_option("--skill", a->in.skill, "The skill it develops");
    cmd->add_option("--target", a->in.target, "Target date")->check(dateValidator());
    cmd->callback([&ctx, a] {
      ctx.run = [&ctx, a] {
        return withRecord(ctx, a->rep, types::kRep, "--rep",
                          [&](core::Coach& c, const core::RecordId& r) { return c.addGoal(r, a->in); });
      };
    });
  }
}

}  // namespace ridealong::cli
