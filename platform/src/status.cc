#include "ridealong/platform/status.h"

namespace ridealong {

namespace {
const char* codeName(Status::Code c) {
  switch (c) {
    case Status::Code::kOk: return "ok";
    case Status::Code::kNotFound: return "not found";
    case Status::Code::kInvalidArgument: return "invalid input";
    case Status::Code::kCorruption: return "corrupt data";
    case Status::Code::kIOError: return "I/O error";
    case Status::Code::kDiskFull: return "disk full";
    case Status::Code::kBusy: return "busy";
    case Status::Code::kUnavailable: return "unavailable";
    case Status::Code::kUnauthorized: return "unauthorized";
  }
  return "error";
}
}  // namespace

std::string Status::toString() const {
  if (isOk()) return "ok";
  if (message_.empty()) return codeName(code_);
  return std::string(codeName(code_)) + ": " + message_;
}

Status Status::withContext(const std::string& context) const {
  if (isOk()) return *this;
  return Status(code_, context + ": " + message_);
}

}  // namespace ridealong
