// query: the team overview and a rep timeline on a large demo notebook
// (default 200 reps, 5,000 sessions, 100,000 observations).
#include <fmt/core.h>

#include "benches.h"
#include "ridealong/core/demo.h"
#include "ridealong/core/notebook.h"
#include "ridealong/platform/env.h"

namespace ridealong::bench {

using namespace ridealong::core;

DemoReport writeDemoNotebook(const Options& o, const std::string& dir, int64_t nowMs) {
  NotebookOptions opts;
  opts.create = true;
  auto nbr = Notebook::open(platform::realEnv(), dir, opts);
  if (!nbr) throw std::runtime_error(nbr.status().toString());
  DemoOptions d;
  d.reps = o.reps;
  d.sessions = o.sessions;
  d.observationsPerSession = o.observationsPerSession;
  d.weeks = 52;
  d.nowMs = nowMs;
  auto rep = generateDemo(**nbr, d);
  if (!rep) throw std::runtime_error(rep.status().toString());
  return *rep;
}

std::vector<Figure> benchQuery(const Options& o) {
  ScratchDir scratch(o.dir);
  const int64_t now = 1795338000000;  // a fixed "today": the same notebook every run
  double t0 = nowMs();
  auto rep = writeDemoNotebook(o, scratch.path() + "/nb", now);
  fmt::print(
      "query: demo notebook {} reps, {} sessions held + {} planned, {} observations, {} actions, {} ratings"
      " (written in {:.0f} ms)\n",
      rep.reps, rep.sessions, rep.planned, rep.observations, rep.actions, rep.ratings, nowMs() - t0);
  auto nbr = Notebook::open(platform::realEnv(), scratch.path() + "/nb", {});
  if (!nbr) throw std::runtime_error(nbr.status().toString());
  Notebook& nb = **nbr;

  std::vector<double> team, timeline;
  size_t rows = 0, entries = 0;
  auto reps = orThrow(nb.listType("rep"));
  for (int i = 0; i < o.queryIterations; i++) {
    double a = nowMs();
    auto t = orThrow(nb.teamOverview(now));
    team.push_back(nowMs() - a);
    rows = t.size();
    const auto& r = reps[static_cast<size_t>(i) % reps.size()];
    double b = nowMs();
    auto tl = orThrow(nb.repTimeline(r.id, 50));
    timeline.push_back(nowMs() - b);
    entries = tl.size();
  }
  std::vector<Figure> f;
  f.push_back({"team overview p50", fmt::format("{:.3f} ms", percentile(team, 50)), "<= 1 ms"});
  f.push_back({"team overview p99", fmt::format("{:.3f} ms", percentile(team, 99)), ""});
  f.push_back({"rep timeline (50) p50", fmt::format("{:.3f} ms", percentile(timeline, 50)), "<= 1 ms"});
  f.push_back({"rep timeline (50) p99", fmt::format("{:.3f} ms", percentile(timeline, 99)), ""});
  printFigures(fmt::format("Queries ({} team rows, {} timeline entries)", rows, entries), f);
  return f;
}

}  // namespace ridealong::bench
