// The starter competency model follows the skills that sales coaching
// programmes rate most often along the sales process (prospecting to
// follow-up); the guide asks the questions of a ride-along before, during
// and after the call (shared domain notes: "Ride-along coaching").
#include "ridealong/core/starter.h"

#include <array>

namespace ridealong::core {

namespace {

// A fixed id: a fixed time (2025-01-01) and a fixed tail per record.
RecordId starterId(uint8_t n) {
  const uint8_t tail[10] = {'r', 'i', 'd', 'e', 'a', 'l', 'o', 'n', 'g', n};
  return makeRecordId(1735689600000, tail);
}

struct StarterSkill {
  const char* name;
  const char* description;
};

constexpr std::array<StarterSkill, 10> kSkills = {{
    {"Prospecting", "Finds and qualifies new opportunities; keeps the funnel full."},
    {"Call planning", "Sets a clear objective for each call and prepares for it."},
    {"Rapport", "Builds trust quickly; reads the customer and adapts."},
    {"Discovery questions", "Asks open questions that uncover needs, pains and decision process."},
    {"Active listening", "Lets the customer talk, confirms understanding, builds on answers."},
    {"Presenting value", "Links the offer to the customer's needs in the customer's terms."},
    {"Handling objections", "Explores concerns before answering; answers with evidence."},
    {"Negotiation", "Trades rather than concedes; protects price and margin."},
    {"Closing", "Asks for a commitment or a clear next step on every call."},
    {"Follow-up", "Does what was promised, on time; updates the account plan."},
}};

constexpr const char* kGuideQuestions =
    "Before: what is the objective of this call, and what would a good outcome be?\n"
    "Before: what does the rep want feedback on today?\n"
    "During: how did the rep open, and did the customer agree to the agenda?\n"
    "During: which questions uncovered the customer's needs?\n"
    "During: how were objections handled?\n"
    "During: was a next step agreed?\n"
    "After: how does the rep think it went? (ask before giving feedback)\n"
    "After: one strength to keep and one thing to do differently next time\n"
    "After: which action items, owned by whom, due when?";

}  // namespace

std::vector<Edit> starterContent() {
  std::vector<Edit> out;
  std::vector<Skill> model;
  for (size_t i = 0; i < kSkills.size(); i++) {
    RecordId id = starterId(static_cast<uint8_t>(i + 1));
    auto e = coach::addSkill(id, kSkills[i].name, model, kSkills[i].description);
    model.push_back(Skill{id, kSkills[i].name, kSkills[i].description, static_cast<int64_t>(i + 1), false});
    out.push_back(std::move(*e));
  }
  auto guide = coach::addGuide(starterId(100), "Ride-along coaching guide", kGuideQuestions);
  out.push_back(std::move(*guide));
  return out;
}

Result<int> addStarterContent(Notebook& nb) {
  std::vector<ChangeBuilder> missing;
  for (auto& e : starterContent()) {
    auto held = nb.get(e.id);
    if (!held && !held.status().isNotFound()) return held.status();  // unreadable is not missing
    if (!held) missing.push_back(std::move(e.change));
  }
  if (missing.empty()) return 0;
  auto r = nb.commitBatch(missing);
  if (!r) return r.status();
  return static_cast<int>(missing.size());
}

}  // namespace ridealong::core
