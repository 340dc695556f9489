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

  // model.update(), then one frame of drawApp; returns the vertices drawn.
  int frame(AppModel& model, ViewState& state);
  const Fonts& fonts() const { return fonts_; }

 private:
  ImGuiContext* ctx_ = nullptr;
  Fonts fonts_;
};

}  // namespace ridealong::gui
