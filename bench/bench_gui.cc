// gui-frames: CPU time of one frame of each desktop-app screen, headless
// (real ImGui frames, draw lists built, no GPU), on a large demo notebook
// (default 200 reps, 5,000 sessions, 100,000 observations). Also the cost of
// re-reading the screens' data after an edit (once per store change).
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>

#include <fmt/core.h>

#include "benches.h"
#include "ridealong/core/schema.h"
#include "ridealong/gui/app_model.h"
#include "ridealong/gui/headless.h"
#include "ridealong/platform/env.h"

namespace ridealong::bench {

namespace {

// Puts the model on `screen` with something sensible selected.
void show(gui::AppModel& m, gui::ViewState& s, gui::Screen screen) {
  const auto& team = m.snapshot().team;
  const core::RecordId rep = team.front().overview.rep;
  switch (screen) {
    case gui::Screen::kRep: m.openRep(rep); break;
    case gui::Screen::kDebrief: {
      const auto* d = m.repDetail(rep);
      if (d && !d->sessions.empty()) m.openDebrief(d->sessions.front().id);
      else m.go(screen);
      break;
    }
    case gui::Screen::kRideAlong: {
      m.setRideRep(rep);
      m.go(screen);
      if (!m.activeCall())
        orThrow(m.startCall(
            gui::NewCall{.type = "tactical", .area = "skills", .customer = "Bench Co", .objective = "Frame timing"}));
      break;
    }
    case gui::Screen::kSearch:
      s.searchQuery = "objection";
      m.go(screen);
      break;
    default: m.go(screen);
  }
}

struct Size {
  float width = 0, height = 0;
  bool touch = false;
  std::string name;  // "768x1024 touch"
};

// "768x1024t,1280x800": a "t" for touch mode.
std::vector<Size> parseSizes(const std::string& text) {
  std::vector<Size> out;
  size_t at = 0;
  while (at <= text.size()) {
    size_t end = std::min(text.find(',', at), text.size());
    std::string item = text.substr(at, end - at);
    Size s;
    if (!item.empty() && item.back() == 't') {
      s.touch = true;
      item.pop_back();
    }
    int w = 0, h = 0;
    if (std::sscanf(item.c_str(), "%dx%d", &w, &h) != 2 || w < 200 || h < 200 || w > 8000 || h > 8000)
      throw std::runtime_error("--gui-sizes: '" + text.substr(at, end - at) + "' is not WxH[t], e.g. 768x1024t");
    s.width = static_cast<float>(w);
    s.height = static_cast<float>(h);
    s.name = item + (s.touch ? " touch" : "");
    out.push_back(s);
    at = end + 1;
  }
  return out;
}

// Every screen's frame time at the window's current size.
void timeScreens(gui::AppModel& m, gui::ViewState& state, gui::HeadlessFrames& frames, const Options& o,
                 const std::string& at, std::vector<Figure>& f) {
  for (gui::Screen screen : gui::kAllScreens) {
    show(m, state, screen);
    for (int i = 0; i < 10; i++) frames.frame(m, state);  // caches warm, layout settled
    // Search runs on a worker: time the frames that show its results.
    for (int i = 0; i < 6000 && m.search().busy(); i++) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      frames.frame(m, state);
    }
    std::vector<double> ms;
    for (int i = 0; i < o.frames; i++) {
      double a = nowMs();
      frames.frame(m, state);
      ms.push_back(nowMs() - a);
    }
    std::string name(gui::screenName(screen));
    if (screen == gui::Screen::kSearch) name += fmt::format(" ({} hits)", m.search().results().size());
    f.push_back({name + " frame p50 / p95" + at,
                 fmt::format("{:.3f} / {:.3f} ms", percentile(ms, 50), percentile(ms, 95)), "p95 <= 2 ms"});
  }
}

}  // namespace

std::vector<Figure> benchGuiFrames(const Options& o) {
  ScratchDir scratch(o.dir);
  platform::Env& env = platform::realEnv();
  std::string dir = scratch.path() + "/nb";
  double t0 = nowMs();
  auto report = writeDemoNotebook(o, dir, env.clock().wallMs());
  fmt::print("gui-frames: demo notebook {} reps, {} sessions, {} observations (written in {:.0f} ms)\n", report.reps,
             report.sessions + report.planned, report.observations, nowMs() - t0);
  gui::AppOptions ao;
  ao.startSync = false;
  ao.createIfMissing = false;
  auto mr = gui::AppModel::open(env, dir, ao);
  if (!mr) throw std::runtime_error(mr.status().toString());
  gui::AppModel& m = **mr;
  gui::ViewState state;
  gui::HeadlessFrames frames(m.settings(), 1280, 800);

  std::vector<Figure> f;
  for (const Size& size : parseSizes(o.guiSizes)) {
    m.settings().touchMode = size.touch;
    frames.setLook(m.settings(), size.touch ? 1.3f : 1.0f);  // the shell's touch scale
    frames.resize(size.width, size.height);
    const std::string at = o.guiSizes == "1280x800" ? std::string() : " @" + size.name;
    timeScreens(m, state, frames, o, at, f);
  }
  m.settings().touchMode = false;
  frames.setLook(m.settings(), 1.0f);
  frames.resize(1280, 800);
  // After an edit every cached query is re-read once (not per frame).
  m.go(gui::Screen::kToday);
  std::vector<double> refresh;
  const core::RecordId rep = m.snapshot().team.front().overview.rep;
  for (int i = 0; i < 30; i++) {
    orThrow(m.setField(rep, "territory", core::Value(fmt::format("Territory {}", i)), "bench"));
    double a = nowMs();
    frames.frame(m, state);
    refresh.push_back(nowMs() - a);
  }
  f.push_back({"first frame after an edit p50 / p95",
               fmt::format("{:.2f} / {:.2f} ms", percentile(refresh, 50), percentile(refresh, 95)), ""});
  printFigures(fmt::format("Desktop app frames, headless ({} per screen)", o.frames), f);
  return f;
}

}  // namespace ridealong::bench
