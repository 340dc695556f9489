// When the event-driven loop draws and how long it may sleep: the policy
// alone, on plain millisecond times, so it is tested without a window.
//   - nothing happens: no frame, sleep until the model has work (<= 1 s);
//   - input (buttons, keys, text, wheel): draw now and kSettleFrames more
//     right after, so clicks (acted on at the release), the screen they open
//     and its layout (sized from the frame before) settle;
//   - the pointer moved or entered: draw now and once more (hover);
//   - the look (fonts, style) was rebuilt: kSettleFrames more;
//   - the window was exposed, resized, focused, rescaled: one frame;
//   - the model changed (a commit elsewhere, a due draft, sync): one frame;
//   - a clock on screen (the ride-along timer): one frame per second, just
//     after the second it shows turns over.
// A plain value; not thread-safe.
#pragma once

#include <cstdint>
#include <optional>

namespace ridealong::shell {

class FramePacer {
 public:
  static constexpr int kSettleFrames = 3;
  static constexpr int64_t kTickMs = 1000;
  static constexpr int64_t kTickLagMs = 15;    // draw just after the boundary, never before
  static constexpr int64_t kMaxWaitMs = 1000;  // wake at least this often (quit signals)

  void onInput() { owe(1 + kSettleFrames); }
  void onPointer() { owe(2); }
  void onWindowEvent() { owe(1); }
  void onModelChanged() { owe(1); }
  void owe(int frames) {
    if (frames > owed_) owed_ = frames;
  }

  // `clockOriginMs`: set while a clock is on screen; its seconds turn over
  // at clockOriginMs + k * 1000.
  bool shouldDraw(int64_t nowMs, std::optional<int64_t> clockOriginMs) const;
  void drew(int64_t nowMs);
  // How long to wait for events before deciding again; 0 = just poll.
  int64_t waitMs(int64_t nowMs, int64_t modelWaitMs, std::optional<int64_t> clockOriginMs) const;
  int owed() const { return owed_; }

 private:
  int64_t nextTick(int64_t originMs) const;
  int owed_ = 1;  // the first frame
  std::optional<int64_t> lastDrawMs_;
};

}  // namespace ridealong::shell
