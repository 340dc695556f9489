// Opening a screen with something on it: the rep, debrief and ride-along
// screens need a rep or a session, which --screen and --screenshot pick
// from the notebook (no edits are made).
#pragma once

#include "ridealong/gui/app_model.h"

namespace ridealong::shell {

// Goes to `screen`; for the rep screen picks the first rep of the team
// table that has sessions; for the debrief the latest done session (of the
// rep coached last); for the ride-along a rep with a call in progress today,
// else the first rep.
void openScreen(gui::AppModel& model, gui::Screen screen);

}  // namespace ridealong::shell
