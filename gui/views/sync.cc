// Sync: set up a space (create on a relay, or join with an invite code),
// watch the engine (state, last sync, pending changes, progress) and settle
// conflicts: the values two devices wrote at once, side by side.
#include <fmt/core.h>
#include <imgui.h>

#include <algorithm>

#include "ridealong/core/schema.h"
#include "screens.h"
#include "ui.h"

namespace ridealong::gui::views {

namespace {

uint64_t total(const core::VersionVector& vv) {
  uint64_t n = 0;
  for (const auto& [a, s] : vv) n += s;
  return n;
}

std::string ago(int64_t ms, int64_t now) {
  if (ms == 0) return "never";
  int64_t s = (now - ms) / 1000;
  if (s < 60) return "just now";
  if (s < 3600) return fmt::format("{} min ago", s / 60);
  if (s < 86400) return fmt::format("{} h ago", s / 3600);
  return ui::relativeDay(ms, now);
}

void setup(AppModel& m, ViewState& s) {
  const SyncView& v = m.sync().view();
  ui::muted(
      "This notebook lives on this device only. To use it on your laptop and tablet, put it in a space: "
      "changes are end-to-end encrypted before they leave the device; the relay cannot read them.");
  ui::subheading("Create a space");
  // What the relay's operator hands out: its address, a sign-up token and
  // its key (without the key, the one the relay shows now is trusted).
  const float width = std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 34);
  ImGui::SetNextItemWidth(width);
  ui::inputText("##relay", s.relayAddress, "relay HOST:PORT");
  ImGui::SetNextItemWidth(width);
  ui::inputText("##token", s.signupToken, "sign-up token (rdt-...)");
  ImGui::SetNextItemWidth(width);
  ui::inputText("##relaykey", s.relayKey, "relay key sha256:... (optional)");
  ImGui::BeginDisabled(!v.busy.empty() || s.relayAddress.empty());
  if (ui::button("Create space")) m.sync().createSpace(s.relayAddress, s.relayKey, s.signupToken);
  ImGui::EndDisabled();
  ui::subheading("Or join one from another device");
  ImGui::SetNextItemWidth(ui::widthBefore(ui::buttonWidth("Join")));
  bool entered = ui::inputSubmit("##invite", s.inviteCode, "Invite code (rdl1-...)");
  ImGui::SameLine();
  const bool canJoin = v.busy.empty() && !s.inviteCode.empty();
  ImGui::BeginDisabled(!canJoin);
  bool join = ui::button("Join");
  ImGui::EndDisabled();
  if (join || (entered && canJoin)) m.sync().joinSpace(s.inviteCode);
}

// Copies found, changes set aside, wrong clocks: what core says a person
// should know, worded there (the CLI's `sync status` says the same).
void notices(AppModel& m) {
  const auto& all = m.sync().view().notices;
  if (all.empty()) return;
  ui::subheading("Worth knowing");
  for (const auto& n : all) {
    ui::wrapped(n.text, n.kind == core::Notice::Kind::kCopy ? ui::mutedColor() : ui::amber());
    ImGui::Spacing();
  }
}

void status(AppModel& m, ViewState& s) {
  const SyncView& v = m.sync().view();
  const auto& st = v.status;
  ImGui::Text("Relay: %s", v.relay.c_str());
  ui::muted("Space " + v.space);
  ImGui::Spacing();
  syncBadge(m);
  ImGui::Text("Last sync: %s", ago(st.lastSyncMs, m.now()).c_str());
  ImGui::Text("Changes not yet on the relay: %llu", static_cast<unsigned long long>(st.pendingLocal));
  ImGui::Text("This session: sent %llu, received %llu", static_cast<unsigned long long>(st.pushed),
              static_cast<unsigned long long>(st.pulled));
  if (st.state == sync::SyncStatus::State::kSyncing) {
    uint64_t relay = total(st.relayVv), local = m.snapshot().stats.changes;
    float frac = relay > 0 ? std::min(1.0f, static_cast<float>(local) / static_cast<float>(relay)) : 0.0f;
    ImGui::ProgressBar(frac, ImVec2(-1, 0), fmt::format("{} of {} changes", local, relay).c_str());
  }
  if (!st.lastError.empty()) ui::wrapped("Last problem: " + st.lastError, ui::amber());
  notices(m);
  ImGui::Spacing();
  if (v.running) {
    if (ui::button("Pause sync")) m.sync().stop();
  } else if (ui::button("Resume sync")) {
    m.sync().start();
  }
  ui::subheading("Add another device");
  ui::muted("On the other device choose Join and paste this code. It works like a password: send it only to yourself.");
  bool& show = s.memory.showInviteCode;
  std::string shown = show ? v.inviteCode : v.inviteCode.substr(0, 9) + std::string(24, '*');
  ImGui::TextWrapped("%s", shown.c_str());
  if (ui::button(show ? "Hide" : "Show")) show = !show;
  ImGui::SameLine();
  if (ui::button("Copy invite code")) {
    ImGui::SetClipboardText(v.inviteCode.c_str());
    m.note("Invite code copied");
  }
}

void conflicts(AppModel& m) {
  const auto& cs = m.snapshot().conflicts;
  ui::subheading(fmt::format("Edited on two devices at once ({})", cs.size()));
  if (cs.empty()) {
    ui::muted("Nothing to settle.");
    return;
  }
  ui::muted("Both values are kept until you pick one; the other is never silently lost.");
  int n = 0;
  for (const auto& c : cs) {
    if (n++ >= 50) break;
    ImGui::PushID(n);
    std::string what = fmt::format("{} · {}", core::fieldLabel(c.type, c.field), c.type);
    auto name = m.snapshot().conflictNames.find(c.record);
    if (name != m.snapshot().conflictNames.end()) what += " · " + name->second;
    ui::wrapped(what);
    if (ImGui::BeginTable("##values", static_cast<int>(c.values.size()), ImGuiTableFlags_BordersInnerV)) {
      for (size_t i = 0; i < c.values.size(); i++) {
        ImGui::TableNextColumn();
        ImGui::PushID(static_cast<int>(i));
        ui::muted(ui::dateTime(core::hlcMs(c.values[i].stamp.hlc)) + " · device " +
                  c.values[i].stamp.actor.str().substr(0, 6));
        ui::wrapped(c.values[i].value.toDisplay());
        if (ui::button(fmt::format("Keep this##{}-{}", n, i))) (void)m.resolve(c.record, c.field, c.values[i].value);
        ImGui::PopID();
      }
      ImGui::EndTable();
    }
    ImGui::Separator();
    ImGui::PopID();
  }
}

}  // namespace

SyncLine syncLine(AppModel& m) {
  const SyncView& v = m.sync().view();
  if (!v.inSpace) return {"Sync: this device only", ui::mutedColor()};
  using S = sync::SyncStatus::State;
  const auto& st = v.status;
  switch (st.state) {
    case S::kUpToDate: return {"Up to date · " + ago(st.lastSyncMs, m.now()), ui::green()};
    case S::kSyncing: return {"Syncing...", ui::accent()};
    case S::kConnecting: return {"Connecting to " + v.relay + "...", ui::mutedColor()};
    case S::kOffline:
      return {fmt::format("Offline{} · {} to send", v.running ? "" : " (paused)", st.pendingLocal), ui::mutedColor()};
  }
  return {"", ui::mutedColor()};
}

void syncBadge(AppModel& m) {
  SyncLine line = syncLine(m);
  ui::wrapped(line.text, line.color);
}

void sync(AppModel& m, ViewState& s) {
  ui::heading("Sync");
  const SyncView& v = m.sync().view();
  if (!v.busy.empty()) ui::wrapped(v.busy, ui::accent());
  if (!v.error.empty()) ui::wrapped(v.error, ui::red());
  if (v.inSpace) status(m, s);
  else setup(m, s);
  conflicts(m);
}

}  // namespace ridealong::gui::views
