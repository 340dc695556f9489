#include "ridealong/gui/settings.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

namespace ridealong::gui {

std::string settingsPath(const std::string& dataDir) { return dataDir + "/gui_settings.json"; }

Result<GuiSettings> loadSettings(platform::Env& env, const std::string& dataDir) {
  GuiSettings s;
  std::string path = settingsPath(dataDir);
  if (!env.fs().exists(path)) return s;
  auto text = env.fs().readFile(path);
  if (!text) return text.status();
  auto j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Status::corruption(path + ": not a JSON object; defaults used");
  // Unknown or mistyped keys keep their defaults: settings are a convenience.
  // Read as double and clamped first: a huge or fractional number in a
  // hand-edited file must not overflow the int it lands in.
  auto num = [&](const char* key, auto& out) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number()) return;
    double d = it->get<double>();
    if (!std::isfinite(d)) return;
    out = static_cast<std::decay_t<decltype(out)>>(std::clamp(d, -1e6, 1e6));
  };
  num("cadenceDays", s.cadenceDays);
  num("fontScale", s.fontScale);
  num("windowX", s.windowX);
  num("windowY", s.windowY);
  num("windowWidth", s.windowWidth);
  num("windowHeight", s.windowHeight);
  if (auto it = j.find("theme"); it != j.end() && it->is_string())
    s.theme = it->get<std::string>() == "dark" ? Theme::kDark : Theme::kLight;
  if (auto it = j.find("touchMode"); it != j.end() && it->is_boolean()) s.touchMode = it->get<bool>();
  s.cadenceDays = std::clamp(s.cadenceDays, 1, 365);
  s.fontScale = std::clamp(s.fontScale, 0.5f, 3.0f);
  return s;
}

Status saveSettings(platform::Env& env, const std::string& dataDir, const GuiSettings& s) {
  nlohmann::json j = {{"cadenceDays", s.cadenceDays}, {"theme", s.theme == Theme::kDark ? "dark" : "light"},
                      {"touchMode", s.touchMode},     {"fontScale", s.fontScale},
                      {"windowX", s.windowX},         {"windowY", s.windowY},
                      {"windowWidth", s.windowWidth}, {"windowHeight", s.windowHeight}};
  return env.fs().writeFileAtomic(settingsPath(dataDir), j.dump(2) + "\n");
}

}  // namespace ridealong::gui
