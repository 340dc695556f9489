// The demo notebook generator: a competency model, coaching guides, reps in
// teams and weeks of ride-alongs (observations, SLED/ROAM debriefs, ratings,
// action plans, goals), written through ChangeBuilder + commitBatch like any
// other client. Every id and word comes from one seeded mt19937_64 and
// `nowMs`, so the same options give byte-identical records.
#include "ridealong/core/demo.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ridealong/core/change.h"
#include "ridealong/core/coaching.h"
#include "ridealong/core/fields.h"
#include "ridealong/core/ids.h"
#include "ridealong/core/schema.h"

namespace ridealong::core {
namespace {

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kDefaultNowMs = 1794819600000;  // 2026-11-16T09:00:00Z, a Monday
constexpr size_t kBatchChanges = 2000;
constexpr int kNeglectDays = 32;  // beyond a 30-day cadence, so "due" shows

// ---------------------------------------------------------------- content

enum Area { kAreaOpportunity, kAreaFunnel, kAreaSkills, kAreaAccount, kAreaTerritory };
constexpr std::array<std::string_view, 5> kAreaNames = {"opportunity", "funnel", "skills", "account", "territory"};

struct SkillDef {
  std::string_view name, description;
  std::array<std::string_view, 3> strengths, gaps;
  std::array<std::string_view, 2> repActions;
};

constexpr std::array<SkillDef, 10> kSkills = {{
    {"Discovery questions",
     "Open, layered questions that surface the customer's situation, pain and buying process before any pitch.",
     {"open question on how they handle it today", "second 'why' after the first answer",
      "got the buyer to put a number on the problem"},
     {"jumped to the product before the pain was clear", "stacked three questions in one breath",
      "never asked who else signs off"},
     {"Write five open questions for the next first meeting", "Map the buying process on every open deal"}},
    {"Active listening",
     "Lets the customer talk, plays back what was heard, builds on it.",
     {"played the concern back in the customer's words", "let a silence do the work",
      "picked up a side remark and explored it"},
     {"talked over the buyer's answer", "missed a buying signal about timing",
      "eyes on the laptop while the customer spoke"},
     {"Recap the customer's words before answering, next three calls",
      "Listen to one recorded call and measure own talk time"}},
    {"Value messaging",
     "Links the offer to the customer's own outcomes and figures, not to features.",
     {"tied the offer to their own cost figure", "customer story from the same industry",
      "kept the pitch to three points"},
     {"feature list with no link to their problem", "quoted our figures instead of theirs",
      "value case came only at the very end"},
     {"Draft a one-page value case for this account", "Prepare two reference stories per segment"}},
    {"Objection handling",
     "Acknowledges, explores and answers concerns on price, risk or timing calmly.",
     {"asked what sat behind the price concern", "stayed calm when the incumbent came up",
      "answered the risk question with proof"},
     {"offered a discount straight away", "argued with the objection", "let the timing concern pass unexplored"},
     {"Role-play the three most common objections", "Collect proof points for the risk objection"}},
    {"Next-step setting",
     "Closes every meeting with a dated commitment from the customer.",
     {"booked the follow-up before leaving", "agreed who joins the next meeting",
      "confirmed the next step in writing on the spot"},
     {"left with 'we will be in touch'", "follow-up agreed without a date", "next step only on our side"},
     {"Propose a dated next step in every meeting this week", "Send the recap within 24 hours of each call"}},
    {"Account planning",
     "Keeps a written plan per key account: goals, people, white space, risks.",
     {"knew the org chart well beyond the main contact", "clear plan for the renewal",
      "spotted expansion at a second site"},
     {"account plan not touched since last quarter", "single-threaded on one contact",
      "no view of the competitor inside the account"},
     {"Update the account plan before the quarterly review", "Add two new contacts to the account plan"}},
    {"Pipeline hygiene",
     "Keeps stages, close dates and next steps true so the forecast can be trusted.",
     {"close dates match what the customer said", "flagged stalled deals honestly",
      "every deal carries a dated next step"},
     {"deals parked in one stage for months", "close date moved for the third time", "amount not backed by a quote"},
     {"Review every deal older than 90 days", "Fix close dates on the ten largest deals"}},
    {"Negotiation",
     "Trades concessions for value, knows the walk-away point, protects margin.",
     {"traded the discount for a longer term", "held the price and explained why", "knew the buyer's real deadline"},
     {"gave a concession without asking for one back", "showed the floor price too early",
      "negotiated against own offer"},
     {"Prepare a give/get list before the pricing meeting", "Agree the walk-away point with the coach first"}},
    {"Territory planning",
     "Puts time on the right accounts and routes visits for coverage.",
     {"grouped three visits in one area", "calendar weighted to top-tier accounts", "clear plan for dormant accounts"},
     {"most hours spent on the smallest accounts", "no visit to one end of the patch for a month",
      "no prospecting time in the week"},
     {"Block two prospecting mornings a week", "Rank accounts by potential and plan visits from it"}},
    {"Stakeholder mapping",
     "Knows the buyer, influencers and blockers, and meets more than one of them.",
     {"asked to meet the finance lead", "named the blocker and had a plan for them",
      "separated who uses from who pays"},
     {"no contact above the user level", "did not know who signs", "assumed the champion makes the call"},
     {"Draw the buying group for the largest deal", "Ask the champion for an intro to the economic buyer"}},
}};

// Which skills each coaching area usually looks at (indexes into kSkills).
const std::array<std::vector<int>, 5> kSkillsByArea = {{
    {0, 2, 3, 4, 7, 9},
    {6, 4},
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
    {5, 9, 2},
    {8, 5},
}};

struct TemplateDef {
  std::string_view name, description;
  std::vector<std::string_view> questions;
};

const std::array<TemplateDef, 3> kTemplates = {{
    {"Discovery call ride-along",
     "Sitting in on a first or second customer meeting.",
     {"What did the rep want to learn in this meeting, and did they?",
      "Which question opened the customer up the most?",
      "Who else takes part in the decision, and did the rep find out?",
      "Roughly how much of the talking did the rep do?", "What is the agreed next step, and when?"}},
    {"Pipeline review",
     "A desk session through the rep's open deals.",
     {"Which deals moved since the last review, and what moved them?",
      "Which deals have not moved for a month or more?", "Is each close date backed by something the customer said?",
      "What is the next step on the three largest deals?", "Where do you want my help?"}},
    {"QBR preparation",
     "Getting ready for a quarterly business review with a key account.",
     {"What did the customer achieve with us this quarter?",
      "Who will be in the room, and what does each of them care about?", "Which risks to the renewal do we see?",
      "Which expansion could we propose?", "What should the customer agree to by the end of the meeting?",
      "Who presents which part?"}},
}};

constexpr std::array<std::string_view, 48> kFirstNames = {
    "Amara", "Ben",   "Chloe", "Diego", "Elif",   "Farah",  "Gustav", "Hana",  "Ivan",  "Jonas",  "Kofi",   "Lena",
    "Mateo", "Nadia", "Oscar", "Priya", "Quinn",  "Rosa",   "Samir",  "Tessa", "Umar",  "Vera",   "Wei",    "Ximena",
    "Yusuf", "Zoe",   "Aiko",  "Bram",  "Carmen", "Dmitri", "Emeka",  "Freya", "Goran", "Helena", "Ines",   "Jamal",
    "Katja", "Luca",  "Maya",  "Niall", "Olga",   "Pablo",  "Ravi",   "Sofia", "Tomas", "Ulla",   "Viktor", "Yara"};
constexpr std::array<std::string_view, 48> kLastNames = {
    "Adeyemi",  "Berg",      "Costa",  "Dubois",   "Eriksen", "Fischer",    "Garcia",   "Hansen",  "Ibrahim", "Jensen",
    "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor",  "Petrov",     "Quintero", "Rossi",   "Schmidt", "Tanaka",
    "Ueda",     "Varga",     "Weber",  "Xu",       "Yilmaz",  "Zimmermann", "Alvarez",  "Brennan", "Chen",    "Demir",
    "Evans",    "Fontaine",  "Gupta",  "Horvat",   "Iversen", "Jovanovic",  "Kim",      "Lopez",   "Mensah",  "Novak",
    "Olsen",    "Patel",     "Reyes",  "Silva",    "Torres",  "Vos",        "Walsh",    "Young"};
constexpr std::array<std::string_view, 12> kTeams = {"Metro North", "Metro South", "Coastal",   "Highlands",
                                                     "Lakes",       "Central",     "Riverside", "Plains",
                                                     "Harbour",     "Valley",      "Frontier",  "Capital"};
constexpr std::array<std::string_view, 12> kCities = {"Aldham",   "Brookfield", "Carrow",   "Dunmere",
                                                      "Eastwick", "Fairholm",   "Glenport", "Hollins",
                                                      "Kingsbay", "Longmoor",   "Marston",  "Northby"};
constexpr std::array<std::string_view, 4> kSegments = {"SMB", "Mid-market", "Enterprise", "Public sector"};
constexpr std::array<std::string_view, 14> kCompanyStems = {
    "Northwind", "Bluepeak", "Ironbridge", "Cedarvale", "Lakeshore", "Summitline", "Brightwater",
    "Redfern",   "Oakline",  "Silverton",  "Granite",   "Meridian",  "Foxglove",   "Tidewell"};
constexpr std::array<std::string_view, 10> kCompanyKinds = {"Foods",         "Dental Group", "Logistics", "Clinics",
                                                            "Manufacturing", "Builders",     "Hotels",    "Schools",
                                                            "Pharmacy",      "Auto Parts"};

constexpr std::array<std::string_view, 9> kObservationTails = {
    " early in the call",    " with the CFO in the room", " on the pricing slide",
    " right after the demo", " near the close",           " (second time today)",
    " when timing came up",  " while walking the site",   " on the follow-up question"};

// Placeholders: {customer} {skill} {first} {objective}.
const std::array<std::vector<std::string_view>, 5> kObjectives = {{
    {"Move {customer} to a proposal", "Find the economic buyer at {customer}",
     "Prepare the pricing conversation with {customer}"},
    {"Clean the forecast before month end", "Find out why mid-stage deals stall",
     "Agree which deals to drop from the pipeline"},
    {"Watch {skill} live in the {customer} meeting", "Second look at {skill} after last month's plan",
     "See how the new {skill} approach lands with {customer}"},
    {"Prepare the {customer} quarterly review", "Plan the renewal at {customer}", "Look for expansion at {customer}"},
    {"Rebalance visit time across the patch", "Plan coverage of dormant accounts",
     "Set prospecting targets for next quarter"},
}};
constexpr std::array<std::string_view, 6> kSetStage = {
    "Ten minutes in the car park after {customer}. Purpose: {skill}; outcome: one change for the next call.",
    "Debrief of the {customer} visit: what worked, one thing on {skill}, next steps. 15 minutes.",
    "Agreed up front to look only at {skill} today and leave the rest for the pipeline review.",
    "Coffee after {customer}. {first} asked to start with how the close went.",
    "Short debrief on the drive back; agenda: {first}'s view first, then mine, then the plan.",
    "Reviewed the call against the guide we picked this morning; aim: a plan {first} owns."};
constexpr std::array<std::string_view, 6> kResults = {
    "Meeting held, but no next step with a date.",    "Customer asked for a proposal by month end.",
    "Second meeting agreed with the wider team.",     "Deal still in the same stage as last month.",
    "Price accepted in principle, terms still open.", "Champion confirmed; economic buyer still unknown."};
constexpr std::array<std::string_view, 6> kOutcomes = {
    "Follow-up booked with the operations lead.",       "Proposal requested; rep drafts it this week.",
    "No firm next step; rep follows up by email.",      "Pilot scope agreed in the room.",
    "Pricing pushed to procurement; timeline unclear.", "Customer wants references before moving on."};
constexpr std::array<std::string_view, 6> kSelfAssessments = {
    "Felt rushed at the end; knows {skill} slipped.",        "Happy with the opening, less sure about pricing.",
    "Thought it went well; surprised by the {skill} point.", "Nervous with the new contact, found the rhythm later.",
    "Would prepare the questions better next time.",         "Felt in control until the competitor came up."};
constexpr std::array<std::string_view, 4> kExplore = {
    // training | coaching | feedback | other, indexed like kSolutions
    "Does not yet know how to do {skill} well: book the module and walk through an example together.",
    "Knows what good {skill} looks like but does not do it every time: practise before calls, I observe again.",
    "Small correction on {skill}; pointed it out, no separate plan needed.",
    "The gap is not skill: CRM fields and handover from marketing get in the way. Raise with ops."};
constexpr std::array<std::string_view, 4> kSolutions = {"training", "coaching", "feedback", "other"};
constexpr std::array<std::string_view, 5> kCoachActions = {
    "Join the next {customer} meeting", "Send {first} a recording of a strong {skill} call",
    "Book a 30-minute practice on {skill}", "Check the CRM updates together on Friday",
    "Introduce {first} to a peer who is strong on {skill}"};
constexpr std::array<std::string_view, 4> kNotes = {"Parking at the customer site is tight; plan 10 extra minutes.",
                                                    "{first} wants more ride-alongs on first meetings.",
                                                    "Customer mentioned a budget freeze in Q1.",
                                                    "Good rapport with the site manager; use it next time."};

// ------------------------------------------------------------------ helpers

// Own distributions on top of mt19937_64: std:: distributions differ between
// standard libraries, which would break determinism across platforms.
class DemoRng {
 public:
  explicit DemoRng(uint64_t seed) : gen_(seed) {}
  int64_t between(int64_t lo, int64_t hi) {  // inclusive
    return lo + static_cast<int64_t>(gen_() % static_cast<uint64_t>(hi - lo + 1));
  }
  double unit() { return static_cast<double>(gen_() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }
  double noise() { return (unit() + unit() + unit() + unit() - 2.0) * 1.7320508; }  // ~N(0,1)
  template <typename C>
  const auto& pick(const C& c) {
    return c[static_cast<size_t>(between(0, static_cast<int64_t>(std::size(c)) - 1))];
  }
  RecordId id(int64_t ms) {
    uint64_t a = gen_(), b = gen_();
    uint8_t r[10];
    for (int i = 0; i < 8; i++) r[i] = static_cast<uint8_t>(a >> (8 * i));
    r[8] = static_cast<uint8_t>(b);
    r[9] = static_cast<uint8_t>(b >> 8);
    return makeRecordId(ms, r);
  }

 private:
  std::mt19937_64 gen_;
};

struct Vars {
  std::string customer, skill, first, objective;
};

std::string lowerFirst(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z') out[0] = static_cast<char>(out[0] - 'A' + 'a');
  return out;
}

std::string fill(std::string_view tmpl, const Vars& v) {
  std::string out;
  for (size_t i = 0; i < tmpl.size(); i++) {
    size_t close = tmpl[i] == '{' ? tmpl.find('}', i) : std::string_view::npos;
    if (close == std::string_view::npos) {
      out += tmpl[i];
      continue;
    }
    std::string_view key = tmpl.substr(i + 1, close - i - 1);
    if (key == "customer") out += v.customer;
    else if (key == "skill") out += lowerFirst(v.skill);
    else if (key == "first") out += v.first;
    else if (key == "objective") out += lowerFirst(v.objective);
    i = close;
  }
  return out;
}

int64_t dayOf(int64_t ms) { return ms >= 0 ? ms / kDay : (ms - kDay + 1) / kDay; }

// Moves Saturday back to Friday and Sunday on to Monday: ride-alongs happen
// on working days. 1970-01-01 was a Thursday.
int64_t workday(int64_t day) {
  int dow = static_cast<int>(((day + 4) % 7 + 7) % 7);  // 0 = Sunday
  return dow == 6 ? day - 1 : (dow == 0 ? day + 1 : day);
}

int64_t meetingTime(DemoRng& rng, int64_t day) {
  return workday(day) * kDay + 8 * kHour + rng.between(0, 16) * 30 * kMinute;
}

int clampRating(double x) { return static_cast<int>(std::clamp(std::lround(x), 1L, 5L)); }

int pickArea(DemoRng& rng) {
  double u = rng.unit();
  return u < 0.45   ? kAreaSkills
         : u < 0.7  ? kAreaOpportunity
         : u < 0.85 ? kAreaFunnel
         : u < 0.95 ? kAreaAccount
                    : kAreaTerritory;
}

// Skills work is mostly the developmental loop; accounts and territories
// are strategic; deals and pipelines tactical.
std::string_view pickType(DemoRng& rng, int area) {
  switch (area) {
    case kAreaSkills: return rng.chance(0.7) ? "developmental" : "opportunistic";
    case kAreaFunnel: return "tactical";
    case kAreaOpportunity: return rng.chance(0.6) ? "tactical" : "opportunistic";
    default: return "strategic";
  }
}

// Index into kTemplates of the guide a manager would pick, or -1 for none.
int templateFor(int area) {
  switch (area) {
    case kAreaFunnel: return 1;
    case kAreaAccount: return 2;
    case kAreaTerritory: return -1;
    default: return 0;
  }
}

// ------------------------------------------------------------------ model

struct RepState {
  RecordId id;
  std::string ref, first;
  std::vector<double> level;   // hidden true skill level per kSkills entry
  std::array<int, 2> focus{};  // development skills for goals and loops
  std::vector<std::string> accounts;
  std::vector<RecordId> openActions;
};

struct SessionPlan {
  int64_t startMs = 0;
  int rep = 0;
  bool planned = false;        // still to come
  bool heldAsPlanned = false;  // held, and planned ahead
  int movedDays = 0;           // held this many days after the day planned
};

// Collects changes and commits them ~kBatchChanges at a time.
class BatchWriter {
 public:
  BatchWriter(Notebook& nb, const std::function<void(int, int)>& progress, int total)
      : nb_(nb), progress_(progress), total_(total) {}
  ChangeBuilder& add() { return changes_.emplace_back(); }
  Status flushIfFull(int done) { return changes_.size() >= kBatchChanges ? flush(done) : Status::ok(); }
  Status flush(int done) {
    if (!changes_.empty()) {
      auto r = nb_.commitBatch(changes_);
      if (!r) return r.status().withContext("demo");
      changes_.clear();
    }
    if (progress_) progress_(done, total_);
    return Status::ok();
  }

 private:
  Notebook& nb_;
  const std::function<void(int, int)>& progress_;
  int total_;
  std::vector<ChangeBuilder> changes_;
};

class Generator {
 public:
  Generator(Notebook& nb, const DemoOptions& o, const std::function<void(int, int)>& progress)
      : opt_(o),
        now_(o.nowMs ? o.nowMs : kDefaultNowMs),
        start_(now_ - int64_t{o.weeks} * 7 * kDay),
        rng_(o.seed),
        totalSessions_(o.sessions ? o.sessions : std::max(1, o.reps * o.weeks / 2)),
        out_(nb, progress, totalSessions_) {}

  Result<DemoReport> run();

 private:
  void writeSkills();
  Status writeMissedSessions();
  void writeTemplates();
  Status writeReps();
  void writeGoals(int rep);
  std::vector<SessionPlan> schedule();
  Status writePastSession(const SessionPlan& plan);
  Status writePlannedSession(const SessionPlan& plan);
  Result<Session> createSession(const SessionPlan& plan, int area, const std::string& customer,
                                const std::string& objective);

  const DemoOptions& opt_;
  int64_t now_, start_;
  DemoRng rng_;
  int totalSessions_;
  BatchWriter out_;
  DemoReport report_;
  std::vector<RecordId> templateIds_;
  std::vector<RepState> reps_;
  int sessionsDone_ = 0;
};

void Generator::writeSkills() {
  int64_t t = start_ - 30 * kDay;  // the model was set up before coaching began
  for (size_t i = 0; i < kSkills.size(); i++) {
    out_.add().create(rng_.id(t + static_cast<int64_t>(i)), std::string(types::kSkill),
                      {{"name", std::string(kSkills[i].name)},
                       {"description", std::string(kSkills[i].description)},
                       {"position", static_cast<int64_t>(i + 1)}});
    report_.skills++;
  }
}

void Generator::writeTemplates() {
  int64_t t = start_ - 29 * kDay;
  for (const auto& tpl : kTemplates) {
    std::string questions;
    for (auto q : tpl.questions) questions.append(q).append("\n");
    questions.pop_back();
    RecordId id = rng_.id(t++);
    templateIds_.push_back(id);
    out_.add().create(
        id, std::string(types::kTemplate),
        {{"name", std::string(tpl.name)}, {"description", std::string(tpl.description)}, {"questions", questions}});
    report_.templates++;
  }
}

Status Generator::writeReps() {
  std::set<std::string> used;
  int teams = std::max(1, (opt_.reps + 7) / 8);
  for (int r = 0; r < opt_.reps; r++) {
    RepState rep;
    std::string first, last, name;
    for (int tries = 0; name.empty() || used.count(name); tries++) {
      first = std::string(rng_.pick(kFirstNames));
      last = std::string(rng_.pick(kLastNames));
      name = first + " " + last;
      if (tries > 50) name += " " + std::to_string(r + 1);  // all pairs taken
    }
    used.insert(name);
    size_t t = static_cast<size_t>(r % teams);
    std::string team = t < kTeams.size() ? std::string(kTeams[t]) : "Team " + std::to_string(t + 1);
    std::string territory = std::string(rng_.pick(kCities)) + " " + std::string(rng_.pick(kSegments));
    std::string email = first + "." + last + "@example.com";
    for (char& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));

    rep.id = rng_.id(start_ - 28 * kDay + r);
    rep.ref = rep.id.str();
    rep.first = first;
    double base = 2.0 + rng_.unit() * 1.3;
    for (size_t s = 0; s < kSkills.size(); s++) rep.level.push_back(std::clamp(base + rng_.noise() * 0.5, 1.2, 4.3));
    std::vector<int> order(kSkills.size());
    for (size_t s = 0; s < order.size(); s++) order[s] = static_cast<int>(s);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return rep.level[a] < rep.level[b]; });
    rep.focus = {order[0], order[1]};
    for (int64_t n = rng_.between(4, 7); n > 0; n--)
      rep.accounts.push_back(std::string(rng_.pick(kCompanyStems)) + " " + std::string(rng_.pick(kCompanyKinds)));

    out_.add().create(rep.id, std::string(types::kRep),
                      {{"name", name}, {"team", team}, {"territory", territory}, {"email", email}});
    report_.reps++;
    reps_.push_back(std::move(rep));
    writeGoals(r);
    RIDEALONG_RETURN_IF_ERROR(out_.flushIfFull(0));
  }
  return Status::ok();
}

// An active goal on the first development skill; some reps also have an
// older goal that was reached (or dropped) on the second.
void Generator::writeGoals(int r) {
  RepState& rep = reps_[r];
  auto goal = [&](int skill, int64_t createdMs, int64_t targetDay, std::string_view status) {
    int from = clampRating(rep.level[skill]);
    std::string text = "Lift " + lowerFirst(kSkills[skill].name) + " from " + std::to_string(from) + " to " +
                       std::to_string(std::min(5, from + 1)) + " as seen on ride-alongs";
    out_.add().create(rng_.id(createdMs), std::string(types::kGoal),
                      {{"rep", rep.ref},
                       {"skill", std::string(kSkills[skill].name)},
                       {"text", text},
                       {"target", formatDate(targetDay)},
                       {"status", std::string(status)}});
    report_.goals++;
  };
  int64_t today = dayOf(now_);
  if (rng_.chance(0.5))
    goal(rep.focus[1], start_ - 20 * kDay, today - rng_.between(3, 20), rng_.chance(0.8) ? "achieved" : "dropped");
  goal(rep.focus[0], start_ + rng_.between(0, 6) * kDay, today + rng_.between(30, 75), "active");
}

// Spreads past sessions evenly per rep with jitter; a few reps stop being
// coached a month before now, and a few sessions are planned for next week.
std::vector<SessionPlan> Generator::schedule() {
  int reps = opt_.reps;
  // `sessions` counts the ones that happened; the planned ones come on top.
  int past = totalSessions_;
  int planned = past >= 10 ? std::min(std::max(1, reps / 4), past / 10) : 0;
  std::vector<int> perRep(reps, past / reps);
  for (int r = 0; r < past % reps; r++) perRep[r]++;

  std::vector<int> order(reps);
  for (int r = 0; r < reps; r++) order[r] = r;
  for (int i = reps - 1; i > 0; i--) std::swap(order[i], order[rng_.between(0, i)]);  // not std::shuffle: portable
  std::vector<bool> neglected(reps, false);
  int neglect = (reps >= 2 && opt_.weeks * 7 >= kNeglectDays + 14) ? std::max(1, reps / 7) : 0;
  for (int r : order) {
    if (neglect == 0) break;
    if (perRep[r] > 0) {
      neglected[r] = true;
      neglect--;
    }
  }

  std::vector<SessionPlan> plans;
  for (int r = 0; r < reps; r++) {
    int64_t end = neglected[r] ? now_ - (kNeglectDays + rng_.between(1, 14)) * kDay : now_ - kDay;
    double span = static_cast<double>(end - start_);
    for (int i = 0; i < perRep[r]; i++) {
      double at = (i + 0.5 + (rng_.unit() - 0.5) * 0.6) / perRep[r];
      int64_t t = meetingTime(rng_, dayOf(start_ + static_cast<int64_t>(span * at)));
      while (t > end) t = meetingTime(rng_, dayOf(t) - 3);
      plans.push_back({t, r, false});
    }
  }
  std::stable_sort(plans.begin(), plans.end(),
                   [](const SessionPlan& a, const SessionPlan& b) { return a.startMs < b.startMs; });
  // Four in five held sessions were planned ahead; one in ten was moved by
  // a day or three (adherence on the Today, Team and Rep screens).
  for (auto& p : plans) {
    uint64_t h = (static_cast<uint64_t>(p.startMs) * 0x9E3779B97F4A7C15ULL) >> 40;  // meeting times are round
    p.heldAsPlanned = h % 10 < 8;
    p.movedDays = h % 10 == 0 ? static_cast<int>(1 + (h / 10) % 3) : 0;
  }
  // Next week's plans go first to reps who have waited longest.
  for (int i = 0; i < planned; i++) {
    int r = i < reps ? order[i] : static_cast<int>(rng_.between(0, reps - 1));
    plans.push_back({meetingTime(rng_, dayOf(now_) + rng_.between(1, 7)), r, true});
  }
  return plans;
}

Result<Session> Generator::createSession(const SessionPlan& plan, int area, const std::string& customer,
                                         const std::string& objective) {
  int64_t createdMs = plan.planned ? now_ - rng_.between(1, 48) * kHour : plan.startMs - rng_.between(1, 10) * kMinute;
  RecordId id = rng_.id(createdMs);
  SessionInput in;
  in.type = std::string(pickType(rng_, area));
  in.area = std::string(kAreaNames[area]);
  in.customer = customer;
  in.objective = objective;
  if (int t = templateFor(area); t >= 0) in.guide = templateIds_[t];
  const RepState& rep = reps_[plan.rep];
  Rep who;
  who.id = rep.id;
  who.name = rep.first;
  // Held sessions were mostly planned ahead: most on the day, some moved.
  // Derived from the start time, not the generator's random stream, so the
  // rest of the notebook does not depend on it.
  int64_t plannedFor = 0;
  if (!plan.planned && plan.heldAsPlanned) plannedFor = plan.startMs - plan.movedDays * kDay;
  auto edit = coach::newSession(id, who, in, plan.startMs, plan.planned ? createdMs : plan.startMs);
  if (!edit) return edit.status();
  if (plannedFor) edit->change.set(id, std::string(fields::session::kPlanned), plannedFor);
  out_.add() = std::move(edit->change);
  (plan.planned ? report_.planned : report_.sessions)++;
  Session made;
  made.id = id;
  made.rep = rep.id;
  made.startMs = plan.startMs;
  made.status = std::string(plan.planned ? values::session_status::kPlanned : values::session_status::kInProgress);
  return made;
}

Status Generator::writePlannedSession(const SessionPlan& plan) {
  RepState& rep = reps_[plan.rep];
  int area = pickArea(rng_);
  int skill = area == kAreaSkills ? rep.focus[0] : rng_.pick(kSkillsByArea[area]);
  Vars v{rng_.pick(rep.accounts), std::string(kSkills[skill].name), rep.first, ""};
  auto made = createSession(plan, area, v.customer, fill(rng_.pick(kObjectives[area]), v));
  return made ? Status::ok() : made.status();
}

Status Generator::writePastSession(const SessionPlan& plan) {
  RepState& rep = reps_[plan.rep];
  int area = pickArea(rng_);
  int focus = area == kAreaSkills ? rep.focus[rep.level[rep.focus[0]] <= rep.level[rep.focus[1]] ? 0 : 1]
                                  : rng_.pick(kSkillsByArea[area]);
  Vars v{rng_.pick(rep.accounts), std::string(kSkills[focus].name), rep.first, ""};
  v.objective = fill(rng_.pick(kObjectives[area]), v);
  auto made = createSession(plan, area, v.customer, v.objective);
  if (!made) return made.status();
  const Session& call = *made;
  RecordId session = call.id;
  RIDEALONG_RETURN_IF_ERROR(out_.flushIfFull(sessionsDone_));

  // Observations: one tap each, at rising times through the meeting.
  int64_t endMs = plan.startMs + rng_.between(45, 75) * kMinute;
  int count = opt_.observationsPerSession > 0 ? opt_.observationsPerSession : static_cast<int>(rng_.between(3, 9));
  std::vector<int64_t> times;
  for (int i = 0; i < count; i++) times.push_back(rng_.between(plan.startMs + 2 * kMinute, endMs - 2 * kMinute));
  std::sort(times.begin(), times.end());
  std::string strengthNote, gapNote;  // the latest of each, quoted in the debrief
  std::vector<int> seenSkills;
  for (int64_t at : times) {
    int skill = rng_.chance(0.5) ? focus : rng_.pick(kSkillsByArea[area]);
    bool strength = rng_.chance(std::clamp((rep.level[skill] - 1.0) / 4.0, 0.15, 0.85));
    const SkillDef& def = kSkills[skill];
    std::string text(strength ? rng_.pick(def.strengths) : rng_.pick(def.gaps));
    if (rng_.chance(0.4)) text += rng_.pick(kObservationTails);
    (strength ? strengthNote : gapNote) = text;
    if (std::find(seenSkills.begin(), seenSkills.end(), skill) == seenSkills.end()) seenSkills.push_back(skill);
    ObservationInput o;
    o.skill = def.name;
    o.kind = std::string(strength ? values::observation_kind::kStrength : values::observation_kind::kImprove);
    o.text = text;
    if (rng_.chance(0.3)) o.rating = clampRating(rep.level[skill] + rng_.noise() * 0.5);
    auto edit = coach::capture(rng_.id(at), call, o, at);
    if (!edit) return edit.status();
    out_.add() = std::move(edit->change);
    report_.observations++;
    RIDEALONG_RETURN_IF_ERROR(out_.flushIfFull(sessionsDone_));
  }

  // The debrief: SLED with ROAM inside Lead, the solution, ratings and the
  // action plan, plus the rolling review of the rep's earlier actions.
  int64_t debriefMs = endMs + rng_.between(5, 20) * kMinute;
  double lvl = rep.level[focus];
  int solution = rng_.chance(0.07) ? 3 : lvl < 2.4 ? 0 : lvl < 3.4 ? 1 : 2;
  int selfScore = clampRating(lvl + 0.5 + rng_.noise() * 0.6);  // reps rate themselves a bit kinder
  std::string lead = rep.first + " rated the meeting " + std::to_string(selfScore) + "/5.";
  if (!strengthNote.empty()) lead += " Best moment: " + strengthNote + ".";
  if (!gapNote.empty()) lead += " Main gap: " + gapNote + ".";
  std::string method = gapNote.empty() ? std::string("Stayed with the plan throughout; method sound.")
                                       : "Preparation was fine; the method slipped here: " + gapNote + ".";
  std::string activities = std::to_string(rng_.between(6, 14)) + " customer meetings this week, " +
                           std::to_string(rng_.between(1, 5)) + " of them first meetings; about " +
                           std::to_string(rng_.between(2, 8) * 5) + " minutes of preparation for " + v.customer + ".";

  // The whole debrief is one change, as the app's debrief screen writes it.
  auto finished = coach::finishDebrief(call, endMs);
  if (!finished) return finished.status();
  ChangeBuilder& debrief = out_.add();
  debrief = std::move(finished->change);
  namespace f = fields::session;
  debrief.set(session, std::string(f::kOutcome), std::string(rng_.pick(kOutcomes)));
  debrief.set(session, std::string(f::kSelfAssessment), fill(rng_.pick(kSelfAssessments), v));
  debrief.set(session, std::string(f::kSledSet), fill(rng_.pick(kSetStage), v));
  debrief.set(session, std::string(f::kSledLead), lead);
  debrief.set(session, std::string(f::kRoamResults), std::string(rng_.pick(kResults)));
  debrief.set(session, std::string(f::kRoamObjectives), "Set before the call: " + v.objective + ".");
  debrief.set(session, std::string(f::kRoamActivities), activities);
  debrief.set(session, std::string(f::kRoamMethodology), method);
  debrief.set(session, std::string(f::kSledExplore), fill(kExplore[solution], v));
  debrief.set(session, std::string(f::kSolution), std::string(kSolutions[solution]));
  if (rng_.chance(0.25)) debrief.set(session, std::string(f::kNotes), fill(rng_.pick(kNotes), v));

  std::vector<RecordId> stillOpen;  // rolling review of earlier actions
  for (const RecordId& action : rep.openActions) {
    double u = rng_.unit();
    if (u < 0.85)
      debrief.set(action, std::string(fields::action::kStatus),
                  std::string(u < 0.78 ? values::action_status::kDone : values::action_status::kDropped));
    else stillOpen.push_back(action);
  }
  rep.openActions = std::move(stillOpen);

  std::vector<int> rated = {focus};
  size_t ratingCount = static_cast<size_t>(rng_.between(1, 3));
  for (int s : seenSkills)
    if (s != focus && rated.size() < ratingCount) rated.push_back(s);
  for (int s : rated) {
    auto rating = coach::rate(rng_.id(debriefMs), call, std::nullopt, std::string(kSkills[s].name),
                              clampRating(rep.level[s] + rng_.noise() * 0.45), endMs);
    if (!rating) return rating.status();
    debrief.append(rating->change);
    report_.ratings++;
    // Coached skills lift slowly; the focus of a skills session most.
    double gain = s != focus ? 0.01 : area == kAreaSkills ? 0.08 + rng_.unit() * 0.17 : 0.02 + rng_.unit() * 0.06;
    rep.level[s] = std::min(4.8, rep.level[s] + gain);
  }

  int actions = solution == 2 ? static_cast<int>(rng_.between(0, 1)) : static_cast<int>(rng_.between(1, 2));
  std::string planText;
  for (int a = 0; a < actions; a++) {
    bool repOwned = a == 0;
    std::string text = repOwned ? std::string(rng_.pick(kSkills[focus].repActions)) : fill(rng_.pick(kCoachActions), v);
    RecordId id = rng_.id(debriefMs + a + 1);
    ActionInput in;
    in.session = session;
    in.text = text;
    in.owner = std::string(repOwned ? values::action_owner::kRep : values::action_owner::kCoach);
    in.due = formatDate(dayOf(endMs) + rng_.between(5, 21));
    Rep who;
    who.id = rep.id;
    who.name = rep.first;
    auto action = coach::addAction(id, who, &call, in);
    if (!action) return action.status();
    debrief.append(action->change);
    rep.openActions.push_back(id);
    report_.actions++;
    planText += (planText.empty() ? "" : "; ") + text;
  }
  debrief.set(session, std::string(fields::session::kSledDevelop),
              planText.empty() ? std::string("No new actions; keep going and review at the next ride-along.")
                               : planText + ". Review at the next ride-along.");
  sessionsDone_++;
  return out_.flushIfFull(sessionsDone_);
}

// A few planned sessions of the last weeks that were never started: missed.
// Written last, so the random stream of everything before is unchanged.
Status Generator::writeMissedSessions() {
  if (totalSessions_ < 10 || opt_.weeks < 3) return Status::ok();
  int missed = std::max(1, opt_.reps / 6);
  for (int i = 0; i < missed; i++) {
    int r = static_cast<int>(rng_.between(0, opt_.reps - 1));
    RepState& rep = reps_[r];
    int64_t start = meetingTime(rng_, dayOf(now_) - rng_.between(2, 20));
    int64_t plannedAt = start - rng_.between(3, 10) * kDay;
    int area = pickArea(rng_);
    Vars v{rng_.pick(rep.accounts), std::string(kSkills[rep.focus[0]].name), rep.first, ""};
    SessionInput in;
    in.type = std::string(pickType(rng_, area));
    in.area = std::string(kAreaNames[area]);
    in.customer = v.customer;
    in.objective = fill(rng_.pick(kObjectives[area]), v);
    Rep who;
    who.id = rep.id;
    who.name = rep.first;
    auto edit = coach::newSession(rng_.id(plannedAt), who, in, start, plannedAt);
    if (!edit) return edit.status();
    out_.add() = std::move(edit->change);
    report_.missed++;
  }
  return Status::ok();
}

Result<DemoReport> Generator::run() {
  writeSkills();
  writeTemplates();
  RIDEALONG_RETURN_IF_ERROR(writeReps());
  RIDEALONG_RETURN_IF_ERROR(out_.flush(0));
  for (const SessionPlan& plan : schedule()) {
    if (plan.planned) {
      RIDEALONG_RETURN_IF_ERROR(writePlannedSession(plan));  // progress counts held sessions only
      RIDEALONG_RETURN_IF_ERROR(out_.flushIfFull(sessionsDone_));
    } else {
      RIDEALONG_RETURN_IF_ERROR(writePastSession(plan));
    }
  }
  RIDEALONG_RETURN_IF_ERROR(writeMissedSessions());
  RIDEALONG_RETURN_IF_ERROR(out_.flush(sessionsDone_));
  return report_;
}

}  // namespace

Result<DemoReport> generateDemo(Notebook& nb, const DemoOptions& options,
                                const std::function<void(int, int)>& progress) {
  if (options.reps < 1 || options.weeks < 1 || options.sessions < 0 || options.observationsPerSession < 0)
    return Status::invalidArgument("demo: reps and weeks must be at least 1; sessions and observations not negative");
  Generator gen(nb, options, progress);
  return gen.run();
}

}  // namespace ridealong::core
