#include "workload.h"

#include <random>
#include <string_view>

namespace ridealong::testing {
namespace {

constexpr std::string_view kSkills[] = {"discovery questions", "active listening",  "value messaging",
                                        "objection handling",  "next-step setting", "account planning",
                                        "pipeline hygiene",    "territory focus",   "negotiation",
                                        "presentation",        "rapport building",  "closing"};
constexpr std::string_view kWords[] = {
    "rep",     "customer", "asked",  "budget",   "timeline",    "champion",    "pricing",   "demo",
    "follow",  "agenda",   "opened", "strong",   "paused",      "missed",      "question",  "value",
    "outcome", "next",     "step",   "risk",     "competitor",  "procurement", "decision",  "maker",
    "summary", "clear",    "story",  "listened", "interrupted", "recap",       "objection", "handled",
    "late",    "early",    "metric", "pain",     "priority",    "renewal",     "expand",    "pilot"};
constexpr std::string_view kAlpha = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford base32

class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}
  size_t below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  // 26 base32 characters = 128 bits: the first carries 3 bits.
  std::string id() {
    std::string s(1, kAlpha[below(8)]);
    for (int i = 0; i < 25; i++) s += kAlpha[below(32)];
    return s;
  }
  std::string sentence(size_t lo, size_t hi) {
    size_t target = lo + below(hi - lo + 1);
    std::string out;
    while (out.size() < target) {
      if (!out.empty()) out += ' ';
      out += kWords[below(std::size(kWords))];
    }
    return out;
  }

 private:
  std::mt19937 rng_;
};

}  // namespace

std::vector<std::string> w1Lines(size_t n, uint32_t seed) {
  Gen g(seed);
  std::vector<std::string> reps, sessions;
  for (size_t i = 0; i < std::max<size_t>(1, n / 500); i++) reps.push_back(g.id());
  for (size_t i = 0; i < std::max<size_t>(1, n / 20); i++) sessions.push_back(g.id());
  const std::string devices[] = {"laptop-" + g.id().substr(0, 8), "tablet-" + g.id().substr(0, 8)};
  const int64_t t0 = 1767225600000;  // 2026-01-01T00:00:00Z
  std::vector<std::string> lines;
  lines.reserve(n);
  for (size_t i = 0; i < n; i++) {
    std::string l = "{\"op\":\"create\",\"record\":\"" + g.id() + "\",\"type\":\"observation\",\"fields\":{";
    l += "\"rep\":\"" + reps[g.below(reps.size())] + "\",";
    l += "\"session\":\"" + sessions[g.below(sessions.size())] + "\",";
    l += "\"skill\":\"" + std::string(kSkills[g.below(std::size(kSkills))]) + "\",";
    l += std::string("\"kind\":\"") + (g.below(2) ? "strength" : "improve") + "\",";
    l += "\"text\":\"" + g.sentence(40, 160) + "\",";
    l += "\"rating\":" + std::to_string(1 + g.below(5)) + ",";
    l += "\"at\":" + std::to_string(t0 + static_cast<int64_t>(i) * 37000 + static_cast<int64_t>(g.below(30001))) + ",";
    l += "\"device\":\"" + devices[g.below(2)] + "\",";
    l += std::string("\"shared\":") + (g.below(10) < 3 ? "true" : "false") + ",";
    l += "\"followup\":\"" + g.sentence(0, 60) + "\"}}\n";
    lines.push_back(std::move(l));
  }
  return lines;
}

std::string w1Jsonl(size_t n, uint32_t seed) {
  std::string out;
  for (auto& l : w1Lines(n, seed)) out += l;
  return out;
}

}  // namespace ridealong::testing
