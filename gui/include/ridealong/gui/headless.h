// Real ImGui frames of the app with no window or GPU: a context of its own,
// the font atlas built in memory, draw lists produced and dropped. Used by
// the headless tests (driven by synthetic input) and the frame-time
// benchmark. One per thread; the context is current while it lives.
#pragma once

#include "ridealong/gui/app_model.h"
#include "ridealong/gui/views.h"

struct ImGuiContext;

namespace ridealong::gui {

class HeadlessFrames {
 public:
  HeadlessFrames(const GuiSettings& settings, float width, float height);
  ~HeadlessFrames();
  HeadlessFrames(const HeadlessFrames&) = delete;
  HeadlessFrames& operator=(const HeadlessFrames&) = delete;

  // Fonts and style for `settings` at `scale` (the shell's pixel scale:
  // touch mode draws 1.3x), as the app's window applies them.
  void setLook(const GuiSettings& settings, float scale);
  // model.update(), then one frame of drawApp; returns the vertices drawn.
  int frame(AppModel& model, ViewState& state);
  const Fonts& fonts() const { return fonts_; }
  // Makes this context the current one (for synthetic input to it).
  void makeCurrent();
  // The window's size from the next frame on.
  void resize(float width, float height);

 private:
  ImGuiContext* ctx_ = nullptr;
  Fonts fonts_;
};

}  // namespace ridealong::gui
