// One drawing function per screen, each in the file of the same name.
#pragma once

#include <string>

#include <imgui.h>

#include "ridealong/gui/app_model.h"
#include "ridealong/gui/views.h"

namespace ridealong::gui::views {

void today(AppModel& m, ViewState& s);
void team(AppModel& m, ViewState& s);
void rep(AppModel& m, ViewState& s);
void rideAlong(AppModel& m, ViewState& s);
void debrief(AppModel& m, ViewState& s);
void actions(AppModel& m, ViewState& s);
void search(AppModel& m, ViewState& s);
void trash(AppModel& m, ViewState& s);
void sync(AppModel& m, ViewState& s);
void settings(AppModel& m, ViewState& s);

// Shared pieces.
// Where sync stands, in a few words and a colour ("Up to date · just now").
struct SyncLine {
  std::string text;
  ImVec4 color;
};
SyncLine syncLine(AppModel& m);
void syncBadge(AppModel& m);
void actionRow(AppModel& m, const core::ActionItem& a, bool showRep);

}  // namespace ridealong::gui::views
