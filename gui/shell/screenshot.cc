#include "screenshot.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

#define GL_GLEXT_PROTOTYPES 1
#define GLFW_INCLUDE_GLEXT
#include <GLFW/glfw3.h>
#include <stb_image_write.h>

#include "screen_selection.h"

namespace ridealong::shell {

namespace {

// Frames drawn before the one that is saved: tables and child windows size
// themselves from the previous frame.
constexpr int kSettleFrames = 3;

// A colour renderbuffer of the screenshot's size, bound while it lives.
class OffscreenTarget {
 public:
  OffscreenTarget(int width, int height) {
    glGenFramebuffers(1, &fbo_);
    glGenRenderbuffers(1, &color_);
    glBindRenderbuffer(GL_RENDERBUFFER, color_);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, color_);
    complete_ = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
  }
  ~OffscreenTarget() {
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glDeleteRenderbuffers(1, &color_);
    glDeleteFramebuffers(1, &fbo_);
  }
  OffscreenTarget(const OffscreenTarget&) = delete;
  OffscreenTarget& operator=(const OffscreenTarget&) = delete;
  bool complete() const { return complete_; }

 private:
  GLuint fbo_ = 0, color_ = 0;
  bool complete_ = false;
};

}  // namespace

Status takeScreenshot(ImGuiLayer& ui, gui::AppModel& model, const ScreenshotRequest& request) {
  const int w = request.size.width, h = request.size.height;
  GLint maxSize = 0;
  glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &maxSize);
  if (maxSize > 0 && (w > maxSize || h > maxSize))
    return Status::invalidArgument("--size: this OpenGL renders at most " + std::to_string(maxSize) + " pixels a side");
  OffscreenTarget target(w, h);
  if (!target.complete()) return Status::unavailable("OpenGL cannot render offscreen at this size");

  openScreen(model, request.screen);
  // Screenshots are the same on every monitor: content scale 1; the
  // notebook's own settings (theme, touch mode, font scale) still apply.
  ui.syncLook(model.settings(), 1.0f, 1.0f);
  gui::ViewState state;
  for (int i = 0; i <= kSettleFrames; i++) {
    model.update();
    ui.drawFrame(model, state, request.size);
  }
  glFinish();

  std::vector<uint8_t> pixels(static_cast<size_t>(w) * h * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_COLOR_ATTACHMENT0);
  glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  if (GLenum err = glGetError(); err != GL_NO_ERROR)
    return Status::unavailable("reading the rendered screen back failed (GL error " + std::to_string(err) + ")");
  // GL's rows go bottom-up; PNG's top-down.
  const size_t row = static_cast<size_t>(w) * 3;
  std::vector<uint8_t> tmp(row);
  for (int y = 0; y < h / 2; y++) {
    uint8_t* a = pixels.data() + row * y;
    uint8_t* b = pixels.data() + row * (h - 1 - y);
    std::memcpy(tmp.data(), a, row);
    std::memcpy(a, b, row);
    std::memcpy(b, tmp.data(), row);
  }
  if (!stbi_write_png(request.path.c_str(), w, h, 3, pixels.data(), static_cast<int>(row)))
    return Status::ioError("cannot write " + request.path + ": " + std::strerror(errno));
  return Status::ok();
}

}  // namespace ridealong::shell
