// Ride-along capture: pick the rep, start each call of the day with its
// pre-call objective, then one tap per observation (strength or needs work
// on a skill, with an optional few words and rating). Every tap is committed
// at once as one change. Keys 1-9 capture a strength on the Nth skill,
// Shift+1-9 a needs-work, when no text field has focus.
#include <algorithm>

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
      if (!style.empty()) ImGui::TextWrapped("%s", style.c_str());
      ui::trackText("ride/coaching-style", style);
    }
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 20);
  ui::inputText("##call-customer", s.newCall.customer, "Customer");
  ImGui::SetNextItemWidth(-1);
  ui::inputText("##call-objective", s.newCall.objective, "Pre-call objective: what should this call achieve?");
  ui::choice("Type##call-type", ui::choicesOf("session", "type"), s.newCall.type, ImGui::GetFontSize() * 9);
  ImGui::SameLine();
  ui::choice("Area##call-area", ui::choicesOf("session", "area"), s.newCall.area, ImGui::GetFontSize() * 8);
  const auto& guides = m.snapshot().templates;
  if (!guides.empty()) {
    ImGui::SameLine();
    std::string current = "No guide";
    for (const auto& g : guides)
      if (s.newCall.guide == g.id) current = g.name;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14);
    if (ImGui::BeginCombo("Guide##call-guide", current.c_str())) {
      if (ImGui::Selectable("No guide", !s.newCall.guide)) s.newCall.guide.reset();
      for (const auto& g : guides)
        if (ImGui::Selectable(g.name.c_str(), s.newCall.guide == g.id)) s.newCall.guide = g.id;
      ImGui::EndCombo();
    }
  }
  ImGui::Spacing();
  if (ui::coloredButton("Start call", ui::accent(), ImVec2(ImGui::GetFontSize() * 12, ImGui::GetFontSize() * 2.6f)) &&
      m.startCall(s.newCall)) {
    s.newCall.customer.clear();
    s.newCall.objective.clear();
  }
}

void callsToday(AppModel& m) {
  auto calls = m.rideCalls();
  if (calls.empty()) return;
  ImGui::TextUnformatted("Today's calls:");
  for (size_t i = 0; i < calls.size(); i++) {
    const auto& c = calls[i];
    ImGui::SameLine();
    std::string label = fmt::format("{} {}{}##call-{}", i + 1, c.customer.empty() ? "Call" : c.customer,
                                    c.status == "done" ? " (done)" : "", c.id.str());
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

void captureButtons(AppModel& m, ViewState& s, const std::vector<core::Skill>& skills) {
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.6f);
  ui::inputText("##capture-note", s.captureNote, "A few words (optional), then tap a skill");
  ImGui::SameLine();
  ImGui::TextUnformatted("Rating");
  for (int r = 1; r <= 5; r++) {
    ImGui::SameLine();
    bool on = s.captureRating == r;
    std::string label = fmt::format("{}##capture-rating", r);
    if (on ? ui::coloredButton(label, ui::ratingColor(r)) : ui::button(label)) s.captureRating = on ? 0 : r;
  }
  ImGui::Spacing();
  // Skill pairs fill the width: big targets for one-handed taps.
  float fs = ImGui::GetFontSize();
  float gap = fs * 1.5f;
  float avail = ImGui::GetContentRegionAvail().x;
  int perRow = std::clamp(static_cast<int>((avail + gap) / (fs * 20 + gap)), 1, 3);
  float pair = (avail - gap * static_cast<float>(perRow - 1)) / static_cast<float>(perRow);
  float w = pair * 0.62f, h = fs * (ui::frame().touch ? 4.2f : 3.2f);
  float wImprove = pair - w - 2;
  if (ui::frame().fonts && ui::frame().fonts->body) ImGui::PushFont(ui::frame().fonts->body);
  for (size_t i = 0; i < skills.size(); i++) {
    if (i % perRow) ImGui::SameLine(0, gap);
    const std::string& name = skills[i].name;
    std::string key = i < 9 ? fmt::format(" [{}]", i + 1) : "";
    ImGui::BeginGroup();
    std::optional<int> rating;
    if (s.captureRating) rating = s.captureRating;
    bool strength = ui::coloredButton("+ " + name + key + "##strength", ui::green(), ImVec2(w, h));
    ui::track("capture/strength/" + name);
    ImGui::SameLine(0, 2);
    bool improve = ui::coloredButton("- Needs work##improve-" + name, ui::amber(), ImVec2(wImprove, h));
    ui::track("capture/improve/" + name);
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
    ui::mutedLine("+" + ui::clock(o.atMs - d.session.startMs));
    ImGui::SameLine();
    ImGui::TextColored(o.kind == "strength" ? ui::green() : ui::amber(), "%s %s", o.kind == "strength" ? "+" : "-",
                       o.skill.c_str());
    if (o.rating) {
      ImGui::SameLine();
      ImGui::Text("(%lld/5)", static_cast<long long>(*o.rating));
    }
    if (!o.text.empty()) {
      ImGui::SameLine();
      ImGui::TextWrapped("%s", o.text.c_str());
    }
    ImGui::SameLine();
    bool remove = ImGui::SmallButton("x");
    ui::track("capture/remove/" + o.id.str(), true);
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
    ImGui::TextWrapped("%s", d.guide->questions.c_str());
  captureButtons(m, s, skills);
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
