#include "ridealong/platform/testing.h"

namespace ridealong::platform {

Status FaultyFileSystem::injected(const std::string& path) const {
  switch (fault_.load()) {
    case Fault::kNone: return Status::ok();
    case Fault::kDiskFull: return Status::diskFull("writing " + path + ": No space left on device (injected)");
    case Fault::kIOError: return Status::ioError("writing " + path + ": Input/output error (injected)");
  }
  return Status::ok();
}

Result<std::string> FaultyFileSystem::readFile(const std::string& path) {
  if (fault_.load() == Fault::kIOError) return injected(path);
  return base_.readFile(path);
}

Status FaultyFileSystem::writeFileAtomic(const std::string& path, std::string_view data) {
  RIDEALONG_RETURN_IF_ERROR(injected(path));
  return base_.writeFileAtomic(path, data);
}

Status FaultyFileSystem::createDirs(const std::string& path) {
  RIDEALONG_RETURN_IF_ERROR(injected(path));
  return base_.createDirs(path);
}

Status FaultyFileSystem::checkWrite(const std::string& path, uint64_t bytes) {
  RIDEALONG_RETURN_IF_ERROR(injected(path));
  return base_.checkWrite(path, bytes);
}

}  // namespace ridealong::platform
