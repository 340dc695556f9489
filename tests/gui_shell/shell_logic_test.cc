// The shell's decisions without a display: where the window opens, how big
// the UI is drawn, when the event-driven loop draws and sleeps, --size.
#include <catch2/catch.hpp>

#include <GLFW/glfw3.h>

#include "frame_pacer.h"
#include "input.h"
#include "options.h"
#include "placement.h"
#include "ui_scale.h"

namespace ridealong::shell {

TEST_CASE("shell: first start opens 1280x800 centred on the primary monitor", "[gui_shell][placement]") {
  gui::GuiSettings s;  // nothing saved
  std::vector<Rect> areas = {{0, 0, 1920, 1050}, {1920, 0, 1280, 1024}};
  Placement p = initialPlacement(s, areas, 1.0f);
  CHECK(p.width == 1280);
  CHECK(p.height == 800);
  REQUIRE(p.at);
  CHECK(p.x() == (1920 - 1280) / 2);
  CHECK(p.y() == (1050 - 800) / 2);
}

TEST_CASE("shell: the default size follows the monitor's scale and fits its work area", "[gui_shell][placement]") {
  gui::GuiSettings s;
  Placement hidpi = initialPlacement(s, {{0, 0, 3840, 2100}}, 2.0f);
  CHECK(hidpi.width == 2560);
  CHECK(hidpi.height == 1600);
  Placement small = initialPlacement(s, {{0, 24, 1024, 744}}, 1.0f);
  CHECK(small.width == 1024);
  CHECK(small.height == 744);
  CHECK(small.x() == 0);
  CHECK(small.y() == 24);
}

TEST_CASE("shell: a saved placement is restored while it is on a monitor", "[gui_shell][placement]") {
  gui::GuiSettings s;
  s.windowX = 2000;
  s.windowY = 100;
  s.windowWidth = 1100;
  s.windowHeight = 700;
  std::vector<Rect> two = {{0, 0, 1920, 1050}, {1920, 0, 1280, 1024}};
  Placement p = initialPlacement(s, two, 1.0f);
  REQUIRE(p.at);
  CHECK(*p.at == Rect{2000, 100, 1100, 700});

  // The second monitor is gone: same size, centred on the primary.
  Placement gone = initialPlacement(s, {{0, 0, 1920, 1050}}, 1.0f);
  CHECK(gone.width == 1100);
  CHECK(gone.height == 700);
  CHECK(gone.x() == (1920 - 1100) / 2);

  // Title bar above the top of every monitor: not reachable, centred.
  s.windowX = 100;
  s.windowY = -300;
  CHECK(initialPlacement(s, two, 1.0f).y() == (1050 - 700) / 2);
}

TEST_CASE("shell: --size wins over the saved size, what is remembered", "[gui_shell][placement]") {
  gui::GuiSettings s;
  s.windowX = 10;
  s.windowY = 10;
  s.windowWidth = 900;
  s.windowHeight = 600;
  Placement p = initialPlacement(s, {{0, 0, 1920, 1050}}, 1.0f, Rect{0, 0, 1000, 700});
  CHECK(p.width == 1000);
  CHECK(p.height == 700);
  CHECK(p.x() == 10);

  rememberPlacement(s, Rect{30, 40, 1200, 750});
  CHECK(s.windowX == 30);
  CHECK(s.windowY == 40);
  CHECK(s.windowWidth == 1200);
  CHECK(s.windowHeight == 750);
  rememberPlacement(s, Rect{0, 0, 0, 0});  // minimised: keep the last real frame
  CHECK(s.windowWidth == 1200);
}

TEST_CASE("shell: UI scale = content scale x touch x font scale, not doubled on dense framebuffers",
          "[gui_shell][scale]") {
  gui::GuiSettings s;
  CHECK(computeUiScale(s, 1.0f, 1.0f) == UiScale{1, 1, 1});
  CHECK(computeUiScale(s, 2.0f, 1.0f) == UiScale{2, 2, 1});  // X11 HiDPI
  s.touchMode = true;
  s.fontScale = 1.5f;
  UiScale t = computeUiScale(s, 1.0f, 1.0f);
  CHECK(t.fontPixels == Approx(1.95f));
  CHECK(t.layout == Approx(1.95f));
  // A framebuffer twice the window (Retina-style): sharp glyphs, same layout.
  s = {};
  UiScale r = computeUiScale(s, 2.0f, 2.0f);
  CHECK(r.fontPixels == Approx(2.0f));
  CHECK(r.layout == Approx(1.0f));
  CHECK(r.fontGlobal == Approx(0.5f));
  // Nonsense from a minimised window counts as 1.
  CHECK(computeUiScale(s, 0.0f, 0.0f) == UiScale{1, 1, 1});
}

TEST_CASE("shell: fonts are rebuilt when the glyph size moves, not for a theme switch", "[gui_shell][scale]") {
  gui::GuiSettings s;
  LookKey a = lookKey(s, 1.0f, 1.0f);
  s.theme = gui::Theme::kDark;
  LookKey dark = lookKey(s, 1.0f, 1.0f);
  CHECK_FALSE(a == dark);
  CHECK_FALSE(fontsDiffer(a, dark));
  s.touchMode = true;
  CHECK(fontsDiffer(a, lookKey(s, 1.0f, 1.0f)));
  CHECK(fontsDiffer(a, lookKey(gui::GuiSettings{}, 2.0f, 1.0f)));
}

namespace {

// Drives the pacer like the frame loop does, with no events at all:
// returns the frames drawn over `ms` of simulated time.
int simulateIdle(FramePacer& p, int64_t startMs, int64_t ms, int64_t modelWaitMs,
                 std::optional<int64_t> clockOrigin = std::nullopt, int* wakeups = nullptr) {
  int frames = 0;
  for (int64_t now = startMs; now < startMs + ms;) {
    if (p.shouldDraw(now, clockOrigin)) {
      p.drew(now);
      frames++;
    }
    int64_t wait = p.waitMs(now, modelWaitMs, clockOrigin);
    REQUIRE(wait >= 0);
    REQUIRE(wait <= FramePacer::kMaxWaitMs);
    now += std::max<int64_t>(wait, 1);
    if (wakeups) ++*wakeups;
  }
  return frames;
}

}  // namespace

TEST_CASE("shell: idle, the loop draws the first frame only and sleeps a second at a time", "[gui_shell][pacer]") {
  FramePacer p;
  int wakeups = 0;
  CHECK(simulateIdle(p, 1'000'000, 10'000, 1000, std::nullopt, &wakeups) == 1);
  CHECK(wakeups <= 12);  // the first frame, then ~10 sleeps of a second
}

TEST_CASE("shell: input draws a frame and more to settle, the pointer two, a window event or change one",
          "[gui_shell][pacer]") {
  FramePacer p;
  p.drew(0);  // the first frame
  CHECK_FALSE(p.shouldDraw(10, std::nullopt));
  p.onInput();
  CHECK(p.waitMs(10, 1000, std::nullopt) == 0);  // no sleeping while frames are owed
  CHECK(simulateIdle(p, 10, 5000, 1000) == 1 + FramePacer::kSettleFrames);

  p.onPointer();
  CHECK(simulateIdle(p, 6000, 5000, 1000) == 2);
  p.onWindowEvent();
  CHECK(simulateIdle(p, 12000, 5000, 1000) == 1);
  p.onModelChanged();
  p.onModelChanged();
  CHECK(simulateIdle(p, 18000, 5000, 1000) == 1);
  // Input while frames are still owed does not add up.
  p.onInput();
  p.onPointer();
  p.onInput();
  CHECK(simulateIdle(p, 24000, 5000, 1000) == 1 + FramePacer::kSettleFrames);
}

TEST_CASE("shell: a running clock on screen gets one frame a second, just after each second turns",
          "[gui_shell][pacer]") {
  FramePacer p;
  const int64_t origin = 5'000'300;  // the call started at ...300 ms
  p.drew(origin + 20);               // a frame just after the call started
  std::vector<int64_t> drawn;
  for (int64_t now = origin + 21; now < origin + 10'000;) {
    if (p.shouldDraw(now, origin)) {
      p.drew(now);
      drawn.push_back(now);
    }
    now += std::max<int64_t>(p.waitMs(now, 1000, origin), 1);
  }
  REQUIRE(drawn.size() == 9);  // seconds 1..9
  for (size_t i = 0; i < drawn.size(); i++) {
    int64_t intoSecond = (drawn[i] - origin) % 1000;
    CHECK(intoSecond >= FramePacer::kTickLagMs);  // never before the displayed second changes
    CHECK(intoSecond < FramePacer::kTickLagMs + 5);
    CHECK((drawn[i] - origin) / 1000 == static_cast<int64_t>(i + 1));
  }
}

TEST_CASE("shell: a due draft shortens the sleep", "[gui_shell][pacer]") {
  FramePacer p;
  p.drew(0);
  CHECK(p.waitMs(0, 250, std::nullopt) == 250);
  CHECK(p.waitMs(0, -5, std::nullopt) == 0);
  CHECK(p.waitMs(0, 60'000, std::nullopt) == FramePacer::kMaxWaitMs);
}

TEST_CASE("shell: --size parsing", "[gui_shell][options]") {
  auto s = parseSize("1280x800");
  REQUIRE(s);
  CHECK(s->width == 1280);
  CHECK(s->height == 800);
  CHECK(parseSize("640X480"));
  CHECK_FALSE(parseSize("1280"));
  CHECK_FALSE(parseSize("x800"));
  CHECK_FALSE(parseSize("1280x"));
  CHECK_FALSE(parseSize("12x800"));
  CHECK_FALSE(parseSize("-5x800"));
  CHECK_FALSE(parseSize("1280x800x2"));
  CHECK_FALSE(parseSize("99999x800"));
}

}  // namespace ridealong::shell

// ---- keys and text, frame by frame ----

namespace ridealong::shell {

namespace {

KeyOrText down(int key) { return {false, key, 0, GLFW_PRESS, 0, 0}; }
KeyOrText up(int key) { return {false, key, 0, GLFW_RELEASE, 0, 0}; }
KeyOrText typed(char c) { return {true, 0, 0, 0, 0, static_cast<unsigned>(c)}; }

// The frames a burst of events is split into (sizes).
std::vector<size_t> frames(std::deque<KeyOrText> q) {
  std::vector<size_t> out;
  while (!q.empty()) {
    size_t n = eventsForOneFrame(q);
    REQUIRE(n > 0);
    out.push_back(n);
    q.erase(q.begin(), q.begin() + static_cast<long>(n));
  }
  return out;
}

}  // namespace

TEST_CASE("shell: a quick tap is seen down for a frame before it goes up", "[gui_shell][input]") {
  CHECK(frames({down(GLFW_KEY_ENTER), up(GLFW_KEY_ENTER)}) == std::vector<size_t>{1, 1});
  // A double tap: each change of the key's state gets its own frame.
  CHECK(frames({down(GLFW_KEY_ENTER), up(GLFW_KEY_ENTER), down(GLFW_KEY_ENTER), up(GLFW_KEY_ENTER)}) ==
        std::vector<size_t>{1, 1, 1, 1});
}

TEST_CASE("shell: Ctrl+F is seen whole even when Ctrl goes up first", "[gui_shell][input]") {
  // Ctrl down, F down | Ctrl up, F up
  CHECK(frames({down(GLFW_KEY_LEFT_CONTROL), down(GLFW_KEY_F), up(GLFW_KEY_LEFT_CONTROL), up(GLFW_KEY_F)}) ==
        std::vector<size_t>{2, 2});
}

TEST_CASE("shell: typed text goes with its key and the next key waits for the next frame", "[gui_shell][input]") {
  // Shift down, C down, 'C' | C up, Shift up, h down, 'h' | h up
  CHECK(frames({down(GLFW_KEY_LEFT_SHIFT), down(GLFW_KEY_C), typed('C'), up(GLFW_KEY_C), up(GLFW_KEY_LEFT_SHIFT),
                down(GLFW_KEY_H), typed('h'), up(GLFW_KEY_H)}) == std::vector<size_t>{3, 4, 1});
  // Ctrl+A then a capital: the A of Ctrl+A is never seen with Shift.
  auto f = frames({down(GLFW_KEY_LEFT_CONTROL), down(GLFW_KEY_A), up(GLFW_KEY_LEFT_CONTROL), up(GLFW_KEY_A),
                   down(GLFW_KEY_LEFT_SHIFT), down(GLFW_KEY_C), typed('C')});
  CHECK(f.front() == 2);
  // Text alone never waits.
  CHECK(frames({typed('a'), typed('b'), typed('c')}) == std::vector<size_t>{3});
}

}  // namespace ridealong::shell
