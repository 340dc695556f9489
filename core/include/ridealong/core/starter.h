// What a new notebook starts with, so a manager can ride along within a
// minute of installing: a standard sales competency model (ten skills) and
// one ride-along coaching guide. They are ordinary records, editable and
// removable. Their ids are fixed, so two devices that both started with them
// hold one copy after syncing, not two. `ridealong-cli init --empty` and
// the app's --empty skip them.
#pragma once

#include <vector>

#include "ridealong/core/coaching.h"
#include "ridealong/core/notebook.h"

namespace ridealong::core {

// The starter records, one create per skill and one for the guide.
std::vector<Edit> starterContent();

// Commits what of the starter content the notebook does not hold yet (by
// id, trash included: a removed starter skill stays removed), in one
// transaction. Returns how many records it added.
Result<int> addStarterContent(Notebook& nb);

}  // namespace ridealong::core
