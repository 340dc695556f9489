// The names of the coaching records' fields and the values of their enums,
// written once. schema.cc builds the schema from these names, the typed
// views (records.h) read through them and the commands (coaching.h) write
// through them, so a misspelt field or enum value is a compile error rather
// than a field nothing reads. docs/adding_a_field.md walks through adding one.
#pragma once

#include <string_view>

namespace ridealong::core {

namespace fields {
using F = std::string_view;
namespace rep {
inline constexpr F kName = "name", kTeam = "team", kTerritory = "territory", kEmail = "email";
// The approach that works best with this seller, and a note on why.
inline constexpr F kCoachingStyle = "coaching_style", kCoachingNote = "coaching_note";
}  // namespace rep
namespace skill {
inline constexpr F kName = "name", kDescription = "description", kPosition = "position";
}
namespace session {
inline constexpr F kRep = "rep", kStart = "start", kEnd = "end", kType = "type", kArea = "area", kStatus = "status",
                   kCustomer = "customer", kObjective = "objective", kOutcome = "outcome",
                   kSelfAssessment = "self_assessment", kSledSet = "sled_set", kSledLead = "sled_lead",
                   kSledExplore = "sled_explore", kSledDevelop = "sled_develop", kRoamResults = "roam_results",
                   kRoamObjectives = "roam_objectives", kRoamActivities = "roam_activities",
                   kRoamMethodology = "roam_methodology", kSolution = "solution", kNotes = "notes",
                   kTemplate = "template";
// When a planned session was first planned for (ms); never changed after,
// so coaching adherence can tell a session held on time from a moved one.
inline constexpr F kPlanned = "planned";
}  // namespace session
namespace observation {
inline constexpr F kSession = "session", kRep = "rep", kAt = "at", kSkill = "skill", kKind = "kind", kText = "text",
                   kRating = "rating";
}
namespace action {
inline constexpr F kRep = "rep", kSession = "session", kText = "text", kOwner = "owner", kDue = "due",
                   kStatus = "status";
}
namespace goal {
inline constexpr F kRep = "rep", kSkill = "skill", kText = "text", kTarget = "target", kStatus = "status";
}
namespace rating {
inline constexpr F kRep = "rep", kSkill = "skill", kRating = "rating", kAt = "at", kSession = "session";
}
namespace guide {  // record type "template"
inline constexpr F kName = "name", kDescription = "description", kQuestions = "questions";
}
}  // namespace fields

// Enum values, as stored.
namespace values {
using V = std::string_view;
namespace session_status {
inline constexpr V kPlanned = "planned", kInProgress = "in_progress", kDone = "done";
}
namespace coaching_type {
inline constexpr V kDevelopmental = "developmental", kStrategic = "strategic", kTactical = "tactical",
                   kOpportunistic = "opportunistic";
}
namespace coaching_area {
inline constexpr V kOpportunity = "opportunity", kFunnel = "funnel", kSkills = "skills", kAccount = "account",
                   kTerritory = "territory";
}
namespace solution {
inline constexpr V kTraining = "training", kCoaching = "coaching", kFeedback = "feedback", kOther = "other";
}
namespace observation_kind {
inline constexpr V kStrength = "strength", kImprove = "improve";
}
namespace action_owner {
inline constexpr V kCoach = "coach", kRep = "rep";
}
namespace action_status {
inline constexpr V kOpen = "open", kDone = "done", kDropped = "dropped";
}
namespace goal_status {
inline constexpr V kActive = "active", kAchieved = "achieved", kDropped = "dropped";
}
// How a rep is best coached (situational coaching: tell, ask, or let them lead).
namespace coaching_style {
inline constexpr V kDirective = "directive", kCollaborative = "collaborative", kSelfDirected = "self_directed";
}
}  // namespace values

}  // namespace ridealong::core
