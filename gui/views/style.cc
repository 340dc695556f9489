// Fonts and colours. Inter (Debian's fonts-inter) reads well at small sizes
// on a laptop and large on a tablet; the built-in ProggyClean is the
// fallback when the package is missing.
#include <algorithm>
#include <cstdio>

#include <imgui.h>

#include "ridealong/gui/views.h"

namespace ridealong::gui {

namespace {

const char* findFont(const char* const* candidates) {
  for (const char* const* p = candidates; *p; ++p)
    if (FILE* f = std::fopen(*p, "rb")) {
      std::fclose(f);
      return *p;
    }
  return nullptr;
}

}  // namespace

Fonts loadFonts(float pixelScale) {
  static const char* const kRegular[] = {"/usr/share/fonts/opentype/inter/Inter-Regular.otf",
                                         "/usr/share/fonts/truetype/inter/Inter-Regular.ttf",
                                         "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", nullptr};
  static const char* const kBold[] = {"/usr/share/fonts/opentype/inter/Inter-SemiBold.otf",
                                      "/usr/share/fonts/truetype/inter/Inter-SemiBold.ttf",
                                      "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", nullptr};
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  Fonts fonts;
  ImFontConfig cfg;
  cfg.OversampleH = 2;
  // Latin-1 plus the dashes and quotes people type in notes.
  static const ImWchar kRanges[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0x20AC, 0x20AC, 0};
  const char* regular = findFont(kRegular);
  const char* bold = findFont(kBold);
  if (regular) fonts.body = io.Fonts->AddFontFromFileTTF(regular, 17.0f * pixelScale, &cfg, kRanges);
  if (!fonts.body) {
    ImFontConfig def;
    def.SizePixels = std::max(13.0f, 13.0f * pixelScale);
    fonts.body = io.Fonts->AddFontDefault(&def);
  }
  const char* headingFile = bold ? bold : regular;
  if (headingFile) {
    fonts.heading = io.Fonts->AddFontFromFileTTF(headingFile, 24.0f * pixelScale, &cfg, kRanges);
    fonts.big = io.Fonts->AddFontFromFileTTF(headingFile, 30.0f * pixelScale, &cfg, kRanges);
  }
  if (!fonts.heading) fonts.heading = fonts.body;
  if (!fonts.big) fonts.big = fonts.heading;
  io.FontDefault = fonts.body;
  io.Fonts->Build();
  return fonts;
}

void applyStyle(const GuiSettings& settings, float scale) {
  ImGuiStyle style;
  if (settings.theme == Theme::kDark) {
    ImGui::StyleColorsDark(&style);
    style.Colors[ImGuiCol_WindowBg] = ImVec4(0.11f, 0.12f, 0.14f, 1);
    style.Colors[ImGuiCol_ChildBg] = ImVec4(0.14f, 0.15f, 0.17f, 1);
  } else {
    ImGui::StyleColorsLight(&style);
    style.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.98f, 1);
    style.Colors[ImGuiCol_ChildBg] = ImVec4(1, 1, 1, 1);
    style.Colors[ImGuiCol_Border] = ImVec4(0.85f, 0.86f, 0.88f, 1);
    // Fields and checkboxes must stand out from the white panels.
    style.Colors[ImGuiCol_FrameBg] = ImVec4(0.93f, 0.94f, 0.96f, 1);
    style.Colors[ImGuiCol_FrameBgHovered] = ImVec4(0.88f, 0.91f, 0.96f, 1);
    style.Colors[ImGuiCol_FrameBgActive] = ImVec4(0.84f, 0.89f, 0.97f, 1);
    style.FrameBorderSize = 1.0f;
  }
  style.WindowRounding = 0;
  style.ChildRounding = 6;
  style.FrameRounding = 5;
  style.GrabRounding = 5;
  style.PopupRounding = 5;
  style.TabRounding = 5;
  style.FramePadding = ImVec2(8, 5);
  style.ItemSpacing = ImVec2(8, 7);
  style.CellPadding = ImVec2(6, 4);
  style.WindowPadding = ImVec2(14, 12);
  style.ScrollbarSize = 14;
  if (settings.touchMode) {
    style.FramePadding = ImVec2(14, 12);
    style.ItemSpacing = ImVec2(12, 12);
    style.ScrollbarSize = 26;
    style.GrabMinSize = 26;
    style.TouchExtraPadding = ImVec2(4, 4);
  }
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
}

}  // namespace ridealong::gui
