// `team`: the team overview the app's Team screen shows, for scripts and
// spreadsheets: last coached, due for coaching, open and overdue actions,
// coaching adherence (planned sessions held on time, moved, missed in the
// last 90 days) and the coaching style. The figures are core's
// (coaching_facts.h), computed once for every front end.
#include <algorithm>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli_context.h"
#include "output.h"
#include "ridealong/core/coaching_facts.h"
#include "ridealong/core/records.h"
#include "ridealong/core/schema.h"

namespace ridealong::cli {

namespace {

struct TeamArgs {
  bool json = false;
  int cadenceDays = core::kDefaultCadenceDays;
};

Status team(CliContext& ctx, const TeamArgs& a) {
  auto nb = ctx.open();
  if (!nb) return nb.status();
  int64_t now = ctx.nowMs();
  auto overview = (*nb)->teamOverview(now);
  if (!overview) return overview.status();
  auto& rows = *overview;
  auto records = (*nb)->listType(core::types::kRep);
  if (!records) return records.status();
  std::map<core::RecordId, core::Rep> reps;
  for (const auto& r : *records) reps.emplace(r.id, core::Rep::from(r));
  std::stable_sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) { return x.name < y.name; });
  Json out = Json::array();
  std::vector<std::vector<std::string>> table;
  core::Adherence all;
  for (const auto& o : rows) {
    auto due = core::coachingDue(o.lastCoachedMs, a.cadenceDays, now);
    const core::Rep& rep = reps[o.rep];
    const core::Adherence& k = o.adherence;
    all += k;
    std::string last = o.lastCoachedMs ? core::formatTimeMs(*o.lastCoachedMs).substr(0, 10) : "never";
    out.push_back({{"id", o.rep.str()},
                   {"name", o.name},
                   {"team", o.team},
                   {"last_coached", o.lastCoachedMs ? Json(last) : Json(nullptr)},
                   {"days_since_coached", due.daysSince < 0 ? Json(nullptr) : Json(due.daysSince)},
                   {"due_for_coaching", due.due},
                   {"sessions_90d", o.sessions90d},
                   {"open_actions", o.openActions},
                   {"overdue_actions", o.overdueActions},
                   {"held_on_time", k.onTime},
                   {"moved", k.moved},
                   {"missed", k.missed},
                   {"coaching_style", rep.coachingStyle}});
    table.push_back({o.name, o.team, last, due.due ? "due" : "", std::to_string(o.openActions),
                     std::to_string(o.overdueActions), k.due() ? fmt::format("{}/{}", k.onTime, k.due()) : "-",
                     std::to_string(k.moved), std::to_string(k.missed), rep.coachingStyle});
  }
  if (a.json) {
    fmt::print("{}", jsonText(out));
    return Status::ok();
  }
  printTable({"NAME", "TEAM", "LAST COACHED", "DUE", "OPEN", "OVERDUE", "ON TIME", "MOVED", "MISSED", "STYLE"}, table);
  fmt::print("coaching kept on time: {} of {} planned sessions in {} days ({} moved, {} missed)\n", all.onTime,
             all.due(), core::kAdherenceDays, all.moved, all.missed);
  return Status::ok();
}

}  // namespace

void addTeamCommands(CLI::App& app, CliContext& ctx) {
  auto a = std::make_shared<TeamArgs>();
  auto* cmd = app.add_subcommand("team", "The team overview: who is due for coaching, actions, coaching adherence");
  cmd->add_flag("--json", a->json, "Print a JSON array instead of a table");
  cmd->add_option("--cadence-days", a->cadenceDays, "A rep is due for coaching after this many days")
      ->check(CLI::Range(1, 365))
      ->capture_default_str();
  cmd->callback([&ctx, a] { ctx.run = [&ctx, a] { return team(ctx, *a); }; });
}

}  // namespace ridealong::cli
