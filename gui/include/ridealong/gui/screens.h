// The app's screens, by the names `--screen` and the docs use.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace ridealong::gui {

enum class Screen { kToday, kTeam, kRep, kRideAlong, kDebrief, kActions, kSearch, kTrash, kSync, kSettings };

inline constexpr std::array<Screen, 10> kAllScreens = {
    Screen::kToday,   Screen::kTeam,   Screen::kRep,   Screen::kRideAlong, Screen::kDebrief,
    Screen::kActions, Screen::kSearch, Screen::kTrash, Screen::kSync,      Screen::kSettings};

// "today", "team", "rep", "ride-along", "debrief", "actions", "search",
// "trash", "sync", "settings".
std::string_view screenName(Screen s);
// "Today", "Team", ... for navigation.
std::string_view screenTitle(Screen s);
std::optional<Screen> screenFromName(std::string_view name);

}  // namespace ridealong::gui
