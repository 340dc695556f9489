// Ride-along capture: pick the rep, start each call of the day with its
// pre-call objective, then one tap per observation (strength or needs work
// on a skill, with an optional few words and rating). Every tap is committed
// at once as one change. Keys 1-9 capture a strength on the Nth skill,
// Shift+1-9 a needs-work, when no text field has focus.
#include <algorithm>
#include <cmath>

#include <fmt/core.h>
#include <imgui.h>

#include "screens.h"
#include "ui.h"

namespace ridealong::gui::views {

namespace {

void pickRep(AppModel& m) {
  ui::heading("Ride-along");
  ui::muted("Who are you riding with? Reps due for coaching come first.");
  ImGui::Spacing();
  float w = ImGui::GetFontSize() * 11, h = ImGui::GetFontSize() * 3;
  float avail = ImGui::GetContentRegionAvail().x;
  int perRow = std::max(1, static_cast<int>(avail / (w + ImGui::GetStyle().ItemSpacing.x)));
  int i = 0;
  for (const auto& row : m.snapshot().team) {
    if (i >= 60) break;
    if (i++ % perRow) ImGui::SameLine();
    std::string label = row.overview.name + "##ride-" + row.overview.rep.str();
    bool pressed = row.due ? ui::coloredButton(label, ui::amber(), ImVec2(w, h)) : ui::button(label, ImVec2(w, h));
    ui::track("ride/rep/" + row.overview.name);
    if (pressed) m.setRideRep(row.overview.rep);
  }
  if (m.snapshot().team.empty()) ui::empty("No reps yet: add them on the Team screen.");
}

void newCallForm(AppModel& m, ViewState& s) {
  ui::subheading("Next call");
  // How this rep is best coached, before the call starts.
  for (const auto& r : m.snapshot().reps)
    if (m.rideRep() == r.id) {
      std::string style = ui::coachingStyleLine(r);
      if (!style.empty()) ui::wrapped(style);
      ui::trackText("ride/coaching-style", style);
    }
  const float font = ImGui::GetFontSize(), avail = ImGui::GetContentRegionAvail().x;
  ImGui::SetNextItemWidth(std::min(font * 20, avail));
  ui::inputText("##call-customer", s.newCall.customer, "Customer");
  ImGui::SetNextItemWidth(-1);
  ui::inputText("##call-objective", s.newCall.objective, "Pre-call objective: what should this call achieve?");
  // The choices side by side while they fit, else one under the other.
  const float typeWidth = font * 9, areaWidth = font * 8, guideWidth = std::min(font * 14, avail * 0.7f);
  ui::choice("Type##call-type", ui::choicesOf("session", "type"), s.newCall.type, typeWidth);
  ui::nextTo(ui::choiceWidth("Area##call-area", areaWidth));
  ui::choice("Area##call-area", ui::choicesOf("session", "area"), s.newCall.area, areaWidth);
  const auto& guides = m.snapshot().templates;
  if (!guides.empty()) {
    ui::nextTo(ui::choiceWidth("Guide##call-guide", guideWidth));
    std::string current = "No guide";
    for (const auto& g : guides)
      if (s.newCall.guide == g.id) current = g.name;
    ImGui::SetNextItemWidth(guideWidth);
    if (ImGui::BeginCombo("Guide##call-guide", current.c_str())) {
      if (ui::option("No guide", !s.newCall.guide, "call-guide/none")) s.newCall.guide.reset();
      for (const auto& g : guides)
        if (ui::option(g.name, s.newCall.guide == g.id, "call-guide/" + g.name)) s.newCall.guide = g.id;
      ImGui::EndCombo();
    }
    ui::track("Guide##call-guide", true);
  }
  ImGui::Spacing();
  if (ui::coloredButton("Start call", ui::accent(),
                        ImVec2(std::min(font * 12, avail), std::max(font * 2.6f, ImGui::GetFrameHeight()))) &&
      m.startCall(s.newCall)) {
    s.newCall.customer.clear();
    s.newCall.objective.clear();
  }
}

void callsToday(AppModel& m) {
  auto calls = m.rideCalls();
  if (calls.empty()) return;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Today's calls:");
  for (size_t i = 0; i < calls.size(); i++) {
    const auto& c = calls[i];
    std::string label = fmt::format("{} {}{}##call-{}", i + 1, c.customer.empty() ? "Call" : c.customer,
                                    c.status == "done" ? " (done)" : "", c.id.str());
    ui::nextTo(ui::buttonWidth(label));
    bool active = m.activeCall() == c.id;
    bool pressed = active ? ui::coloredButton(label, ui::accent()) : ui::button(label);
    if (pressed) {
      if (c.status == "done" || c.endMs != 0) m.openDebrief(c.id);
      else m.setActiveCall(c.id);
    }
  }
}

void captureKeys(AppModel& m, ViewState& s, const std::vector<core::Skill>& skills) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput || io.KeyCtrl) return;
  for (int k = 0; k < 9 && k < static_cast<int>(skills.size()); k++)
    if (ImGui::IsKeyPressed('1' + k, false)) {
      std::optional<int> rating;
      if (s.captureRating) rating = s.captureRating;
      if (m.capture(skills[k].name, io.KeyShift ? "improve" : "strength", s.captureNote, rating)) {
        s.captureNote.clear();
        s.captureRating = 0;
      }
    }
}

// The note field first, at the top (an on-screen keyboard covers the
// lower half of a tablet), the rating beside or under it, then a tile pair
// per skill filling the width: big targets for one-handed taps, two or
// three pairs a row on a wide screen, two on a portrait tablet.
// What was captured: "+ Active listening (2/5)".
std::string captureWhat(const core::Observation& o) {
  return fmt::format("{} {}{}", o.kind == "strength" ? "+" : "-", o.skill,
                     o.rating ? fmt::format(" ({}/5)", *o.rating) : std::string());
}

// With when: "+12:03  + Active listening (2/5)".
std::string captureLine(const core::Observation& o, const core::Session& session) {
  return "+" + ui::clock(o.atMs - session.startMs) + "  " + captureWhat(o);
}

// On a portrait tablet the full list is below the tiles, out of sight: the
// last two captures show above them, to see that a tap was taken.
void lastCaptures(const SessionDetail& d) {
  const auto& obs = d.observations;
  if (obs.empty()) return;
  for (size_t i = 0; i < 2 && i < obs.size(); i++) {
    const auto& o = obs[obs.size() - 1 - i];
    const std::string line = captureLine(o, d.session);
    ui::wrapped(line, o.kind == "strength" ? ui::green() : ui::amber());
    ui::trackText(fmt::format("capture/last/{}", i), line);
  }
}

void captureButtons(AppModel& m, ViewState& s, const std::vector<core::Skill>& skills, const SessionDetail& d) {
  const float fs = ImGui::GetFontSize();
  const bool touch = ui::frame().touch;
  const float avail = ImGui::GetContentRegionAvail().x;
  std::vector<std::string> ratingLabels;
  for (int r = 1; r <= 5; r++) ratingLabels.push_back(fmt::format("{}##capture-rating", r));
  float ratingsWidth = ImGui::CalcTextSize("Rating").x;
  for (const auto& l : ratingLabels) ratingsWidth += ImGui::GetStyle().ItemSpacing.x + ui::buttonWidth(l);
  const bool ratingsBeside = avail - ratingsWidth - ImGui::GetStyle().ItemSpacing.x >= fs * 14;
  ImGui::SetNextItemWidth(ratingsBeside ? avail - ratingsWidth - ImGui::GetStyle().ItemSpacing.x : avail);
  ui::inputText("##capture-note", s.captureNote, "A few words, then tap a skill");
  if (ratingsBeside) ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Rating");
  for (int r = 1; r <= 5; r++) {
    ImGui::SameLine();
    bool on = s.captureRating == r;
    const std::string& label = ratingLabels[r - 1];
    if (on ? ui::coloredButton(label, ui::ratingColor(r)) : ui::button(label)) s.captureRating = on ? 0 : r;
  }
  if (ui::frame().layout.portrait) lastCaptures(d);
  ImGui::Spacing();
  const float gap = fs * (touch ? 0.8f : 1.5f);
  const int perRow = std::clamp(static_cast<int>((avail + gap) / (fs * 13 + gap)), 1, 3);
  const float pair = (avail - gap * static_cast<float>(perRow - 1)) / static_cast<float>(perRow);
  // Tall enough for a skill's name on two lines.
  const float h = std::max(ui::kTouchTarget, ImGui::GetTextLineHeight() * 2 + ImGui::GetStyle().FramePadding.y * 2 +
                                                 (touch ? 0.0f : fs * 0.6f));
  const float w = std::floor(pair * 0.62f), wImprove = pair - w - 2;
  if (ui::frame().fonts && ui::frame().fonts->body) ImGui::PushFont(ui::frame().fonts->body);
  for (size_t i = 0; i < skills.size(); i++) {
    if (i % perRow) ImGui::SameLine(0, gap);
    const std::string& name = skills[i].name;
    // The key that captures it, on a keyboard (not in touch mode).
    std::string key = i < 9 && !touch ? fmt::format(" [{}]", i + 1) : "";
    ImGui::BeginGroup();
    std::optional<int> rating;
    if (s.captureRating) rating = s.captureRating;
    bool strength = ui::tileButton("##strength-" + name, "+ " + name + key, ui::green(), ImVec2(w, h));
    ui::track("capture/strength/" + name, true);
    ImGui::SameLine(0, 2);
    bool improve = ui::tileButton("##improve-" + name, "- Needs work", ui::amber(), ImVec2(wImprove, h));
    ui::track("capture/improve/" + name, true);
    ImGui::EndGroup();
    if ((strength || improve) && m.capture(name, strength ? "strength" : "improve", s.captureNote, rating)) {
      s.captureNote.clear();
      s.captureRating = 0;
    }
  }
  if (ui::frame().fonts && ui::frame().fonts->body) ImGui::PopFont();
  if (skills.empty()) ui::empty("The competency model is empty: add skills in Settings.");
}

void captured(AppModel& m, const SessionDetail& d) {
  ui::subheading(fmt::format("Captured ({})", d.observations.size()));
  for (auto it = d.observations.rbegin(); it != d.observations.rend(); ++it) {
    const auto& o = *it;
    ImGui::PushID(o.id.str().c_str());
    // When, what (wrapped before the remove button), the note below.
    const float x = ui::buttonWidth("x");
    ImGui::AlignTextToFramePadding();
    ui::mutedLine("+" + ui::clock(o.atMs - d.session.startMs));
    ImGui::SameLine();
    ImGui::PushTextWrapPos(ImGui::GetContentRegionMax().x - x - ImGui::GetStyle().ItemSpacing.x);
    ui::wrapped(captureWhat(o), o.kind == "strength" ? ui::green() : ui::amber());
    ImGui::PopTextWrapPos();
    ui::alignRight(x);
    bool remove = ui::smallButton("x");
    ui::track("capture/remove/" + o.id.str(), true);
    if (!o.text.empty()) ui::wrapped(o.text);
    if (remove) (void)m.remove(o.id, "the observation");
    ImGui::PopID();
  }
}

void activeCall(AppModel& m, ViewState& s, const SessionDetail& d) {
  const auto& skills = m.snapshot().skills;
  captureKeys(m, s, skills);
  if (ui::frame().fonts && ui::frame().fonts->big) ImGui::PushFont(ui::frame().fonts->big);
  ImGui::TextUnformatted(ui::clock(m.now() - d.session.startMs).c_str());
  if (ui::frame().fonts && ui::frame().fonts->big) ImGui::PopFont();
  ui::track("capture/timer");
  ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::Text("%s%s", d.session.customer.empty() ? "Call" : d.session.customer.c_str(),
              d.session.objective.empty() ? "" : "  ·  objective:");
  if (!d.session.objective.empty()) ui::muted(d.session.objective);
  ImGui::EndGroup();
  ui::alignRight(ui::buttonWidth("End call & debrief"));
  if (ui::coloredButton("End call & debrief", ui::accent())) {
    (void)m.endCall();
    return;
  }
  if (d.guide && !d.guide->questions.empty() && ImGui::CollapsingHeader(("Guide: " + d.guide->name).c_str()))
    ui::wrapped(d.guide->questions);
  captureButtons(m, s, skills, d);
  captured(m, d);
}

}  // namespace

void rideAlong(AppModel& m, ViewState& s) {
  if (!m.rideRep()) {
    pickRep(m);
    return;
  }
  ui::heading("Ride-along with " + m.snapshot().repName(m.rideRep()));
  ui::alignRight(ui::buttonWidth("Change rep"));
  if (ui::button("Change rep")) {
    m.clearRideRep();
  }
  callsToday(m);
  const SessionDetail* d = m.activeCall() ? m.sessionDetail(*m.activeCall()) : nullptr;
  if (d) activeCall(m, s, *d);
  else newCallForm(m, s);
}

}  // namespace ridealong::gui::views
