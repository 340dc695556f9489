#include "ridealong/gui/search.h"

#include <algorithm>
#include <cctype>

#include "ridealong/core/records.h"
#include "ridealong/core/schema.h"
#include "ridealong/gui/snapshot.h"

namespace ridealong::gui {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool matches(const std::string& text, const std::string& needle) {
  return !text.empty() && lower(text).find(needle) != std::string::npos;
}

// A window of the matching text around the match, on one line.
std::string excerpt(const std::string& text, const std::string& needle) {
  size_t at = lower(text).find(needle);
  size_t from = at > 40 ? at - 40 : 0;
  std::string out = (from ? "..." : "") + text.substr(from, 120);
  if (from + 120 < text.size()) out += "...";
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

}  // namespace

Result<std::vector<SearchHit>> searchNotebook(core::Notebook& nb, const std::string& query, size_t limit) {
  std::vector<SearchHit> hits;
  std::string needle = lower(query);
  if (needle.find_first_not_of(' ') == std::string::npos) return hits;
  auto reps = nb.listType(core::types::kRep);
  auto sessions = nb.listType(core::types::kSession);
  auto observations = nb.listType(core::types::kObservation);
  auto actions = nb.listType(core::types::kAction);
  for (const auto* read : {&reps, &sessions, &observations, &actions})
    if (!*read) return read->status();
  for (const auto& r : *reps) {
    auto rep = core::Rep::from(r);
    for (const auto* t : {&rep.name, &rep.team, &rep.territory})
      if (matches(*t, needle)) {
        hits.push_back({rep.id, "rep", rep.name + (rep.team.empty() ? "" : " (" + rep.team + ")"), rep.id, {}, 0});
        break;
      }
  }
  std::vector<SearchHit> dated;
  for (const auto& r : *sessions) {
    auto s = core::Session::from(r);
    for (const auto* t : {&s.customer, &s.objective, &s.outcome, &s.notes, &s.selfAssessment})
      if (matches(*t, needle)) {
        dated.push_back({s.id, "session", excerpt(*t, needle), s.rep, s.id, s.startMs});
        break;
      }
  }
  for (const auto& r : *observations) {
    const auto& text = r.get("text");
    if (!text.isText() || !matches(text.asText(), needle)) continue;
    auto o = core::Observation::from(r);
    dated.push_back({o.id, "observation", excerpt(o.text, needle), o.rep, o.session, o.atMs});
  }
  for (const auto& r : *actions) {
    auto a = core::ActionItem::from(r);
    if (!matches(a.text, needle)) continue;
    auto due = core::parseDate(a.due);
    dated.push_back({a.id, "action", excerpt(a.text, needle), a.rep, a.session, due ? *due * kDayMs : 0});
  }
  std::sort(dated.begin(), dated.end(), [](const auto& a, const auto& b) { return a.timeMs > b.timeMs; });
  for (auto& h : dated) hits.push_back(std::move(h));
  if (hits.size() > limit) hits.resize(limit);
  return hits;
}

Searcher::~Searcher() {
  if (running_.valid()) running_.wait();
}

void Searcher::request(const std::string& query, uint64_t generation) {
  if (query == query_ && generation == generation_) return;
  query_ = query;
  generation_ = generation;
  if (running_.valid()) {
    stale_ = true;  // relaunched when the running one finishes
    return;
  }
  launch();
}

void Searcher::launch() {
  runningQuery_ = query_;
  runningGeneration_ = generation_;
  stale_ = false;
  running_ = std::async(std::launch::async, [this, q = query_] { return searchNotebook(nb_, q, 300); });
}

bool Searcher::poll() {
  if (!running_.valid() || running_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return false;
  auto hits = running_.get();
  if (stale_ || runningQuery_ != query_ || runningGeneration_ != generation_) {
    launch();
    return false;
  }
  if (hits) {
    results_ = std::move(hits).value();
    error_.clear();
  } else {
    results_.clear();
    error_ = "could not search: " + hits.status().message();
  }
  return true;
}

}  // namespace ridealong::gui
