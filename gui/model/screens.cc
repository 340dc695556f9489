#include "ridealong/gui/screens.h"

namespace ridealong::gui {

namespace {
struct Names {
  Screen screen;
  std::string_view name, title;
};
constexpr Names kNames[] = {
    {Screen::kToday, "today", "Today"},
    {Screen::kTeam, "team", "Team"},
    {Screen::kRep, "rep", "Rep"},
    {Screen::kRideAlong, "ride-along", "Ride-along"},
    {Screen::kDebrief, "debrief", "Debrief"},
    {Screen::kActions, "actions", "Actions"},
    {Screen::kSearch, "search", "Search"},
    {Screen::kTrash, "trash", "Trash"},
    {Screen::kSync, "sync", "Sync"},
    {Screen::kSettings, "settings", "Settings"},
};
}  // namespace

std::string_view screenName(Screen s) {
  for (const auto& n : kNames)
    if (n.screen == s) return n.name;
  return "today";
}

std::string_view screenTitle(Screen s) {
  for (const auto& n : kNames)
    if (n.screen == s) return n.title;
  return "Today";
}

std::optional<Screen> screenFromName(std::string_view name) {
  for (const auto& n : kNames)
    if (n.name == name) return n.screen;
  return std::nullopt;
}

}  // namespace ridealong::gui
