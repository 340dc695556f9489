// Real ImGui frames with no window: a context whose font atlas is built in
// memory, driven by synthetic mouse, text and key input, drawing the app's
// real views over a real notebook on disk. Widgets are found by the labels
// the views track (views.h ItemRegistry).
#pragma once

#include <memory>
#include <string>

#include <catch2/catch.hpp>
#include <imgui.h>

#include "ridealong/gui/app_model.h"
#include "ridealong/gui/headless.h"
#include "ridealong/gui/views.h"
#include "ridealong/platform/testing.h"
#include "temp_dir.h"

namespace ridealong::gui {
// The store behind a model, for tests that check what a command wrote (the
// views have no access to it: they draw from the snapshot).
struct ModelTestAccess {
  static core::Notebook& notebook(AppModel& m) { return *m.nb_; }
};
// Found by argument-dependent lookup from any test file.
inline core::Notebook& storeOf(AppModel& m) { return ModelTestAccess::notebook(m); }
}  // namespace ridealong::gui

namespace ridealong::testing {

// 2026-11-26 09:00 UTC: the demo notebook's "today".
inline constexpr int64_t kGuiNowMs = 1795683600000;

class HeadlessUi {
 public:
  explicit HeadlessUi(gui::AppOptions options = demoOptions(), float width = 1280, float height = 800)
      : clock_(kGuiNowMs), env_(clock_, platform::realEnv().fs()), frames_(gui::GuiSettings{}, width, height) {
    auto m = gui::AppModel::open(env_, dataDir_, options);
    REQUIRE(m.isOk());
    model_ = std::move(*m);
    state_.registry = &registry_;
  }
  ~HeadlessUi() { model_.reset(); }

  static gui::AppOptions demoOptions() {
    gui::AppOptions o;
    o.startSync = false;
    o.demoIfEmpty = true;
    return o;
  }

  gui::AppModel& model() { return *model_; }
  // Closes the app (as on quit) and opens the same notebook again.
  void reopen(gui::AppOptions options = demoOptions()) {
    model_.reset();
    auto m = gui::AppModel::open(env_, dataDir_, options);
    REQUIRE(m.isOk());
    model_ = std::move(*m);
  }
  gui::ViewState& state() { return state_; }
  platform::FakeClock& clock() { return clock_; }
  platform::Env& env() { return env_; }
  const gui::ItemRegistry& registry() const { return registry_; }
  const std::string& dataDir() const { return dataDir_; }

  // One frame: model update, views, render (draw lists, no GPU).
  void frame() { lastVertices_ = frames_.frame(*model_, state_); }
  void frames(int n) {
    for (int i = 0; i < n; i++) frame();
  }
  int lastVertices() const { return lastVertices_; }

  bool has(const std::string& key) const { return registry_.find(key).has_value(); }

  // Moves there, presses and releases the left button over three frames.
  void click(const std::string& key) {
    frame();  // the registry then shows what is on screen now
    auto r = registry_.find(key);
    INFO("widget " << key);
    REQUIRE(r.has_value());
    ImGuiIO& io = this->io();
    io.MousePos = ImVec2(r->cx(), r->cy());
    frame();
    io.MouseDown[0] = true;
    frame();
    io.MouseDown[0] = false;
    frame();
  }
  // This app's ImGui input (several apps may live in one test).
  ImGuiIO& io() {
    frames_.makeCurrent();
    return ImGui::GetIO();
  }
  void type(const std::string& text) {
    io().AddInputCharactersUTF8(text.c_str());
    frame();
  }
  // Clicks a text field, types into it.
  void typeInto(const std::string& key, const std::string& text) {
    click(key);
    frame();  // as a person would, a moment after the click
    type(text);
  }
  // A key by its GLFW code (letters and digits: upper-case ASCII).
  void press(int key, bool ctrl = false, bool shift = false) {
    ImGuiIO& io = this->io();
    io.KeyCtrl = ctrl;
    io.KeyShift = shift;
    io.KeysDown[key] = true;
    frame();
    io.KeysDown[key] = false;
    io.KeyCtrl = io.KeyShift = false;
    frame();
  }
  // Enter, as in a one-line field of an "add" form.
  void enter() { press(kEnter); }
  static constexpr int kEnter = 257;  // GLFW_KEY_ENTER (HeadlessFrames maps it)
  // Touch mode on or off, drawn as the app's window draws it: fonts and
  // sizes at the shell's touch scale (ui_scale.h kTouchScale).
  void touch(bool on) { look(on, model_->settings().fontScale); }
  // Touch mode and the text size (Settings' 1x .. 2x), as the shell's
  // window applies them at a monitor scale of 1.
  void look(bool touch, float textScale) {
    model_->settings().touchMode = touch;
    model_->settings().fontScale = textScale;
    frames_.setLook(model_->settings(), (touch ? 1.3f : 1.0f) * textScale);
  }
  // The window's size, as when it is resized or the tablet turns.
  void resize(float width, float height) { frames_.resize(width, height); }
  // What a tracked line of text said (ui::trackText).
  std::string text(const std::string& key) const {
    auto r = registry_.find(key);
    INFO("text " << key);
    REQUIRE(r.has_value());
    return r->text;
  }
  // Lets time pass (drafts save themselves after the debounce).
  void wait(int64_t ms) {
    clock_.advanceMs(ms);
    frame();
  }

 private:
  TempDir dir_;
  std::string dataDir_ = dir_.sub("nb");
  platform::FakeClock clock_;
  platform::TestEnv env_;
  gui::HeadlessFrames frames_;
  std::unique_ptr<gui::AppModel> model_;
  gui::ViewState state_;
  gui::ItemRegistry registry_;
  int lastVertices_ = 0;
};

}  // namespace ridealong::testing
