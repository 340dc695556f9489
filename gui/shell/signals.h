// SIGINT and SIGTERM close the app like its window's close button: the
// handler only sets a flag; the frame loop, which wakes at least once a
// second, sees it and leaves, so drafts and settings are saved on the way out.
#pragma once

namespace ridealong::shell {

void installQuitSignalHandlers();
bool quitRequested();

}  // namespace ridealong::shell
