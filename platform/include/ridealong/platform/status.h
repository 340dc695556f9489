// Status and Result<T>: how every Ridealong module reports expected failures
// (not found, bad input, disk full, ...). Cheap on success. Exceptions are kept
// for broken invariants only. Values; safe to copy between threads.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace ridealong {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kNotFound,
    kInvalidArgument,  // bad user input: names the file, line or field
    kCorruption,       // bytes that fail checks (truncated, bit-flipped)
    kIOError,
    kDiskFull,
    kBusy,
    kUnavailable,  // network / peer not reachable
    kUnauthorized,
  };

  Status() = default;
  static Status ok() { return Status(); }
  static Status notFound(std::string m) { return Status(Code::kNotFound, std::move(m)); }
  static Status invalidArgument(std::string m) { return Status(Code::kInvalidArgument, std::move(m)); }
  static Status corruption(std::string m) { return Status(Code::kCorruption, std::move(m)); }
  static Status ioError(std::string m) { return Status(Code::kIOError, std::move(m)); }
  static Status diskFull(std::string m) { return Status(Code::kDiskFull, std::move(m)); }
  static Status busy(std::string m) { return Status(Code::kBusy, std::move(m)); }
  static Status unavailable(std::string m) { return Status(Code::kUnavailable, std::move(m)); }
  static Status unauthorized(std::string m) { return Status(Code::kUnauthorized, std::move(m)); }

  bool isOk() const { return code_ == Code::kOk; }
  explicit operator bool() const { return isOk(); }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  bool isNotFound() const { return code_ == Code::kNotFound; }
  bool isInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool isCorruption() const { return code_ == Code::kCorruption; }
  bool isDiskFull() const { return code_ == Code::kDiskFull; }
  bool isIOError() const { return code_ == Code::kIOError; }
  bool isBusy() const { return code_ == Code::kBusy; }

  // "disk full: <message>" style text for logs and CLI errors.
  std::string toString() const;
  // The same status with "<context>: " put before the message.
  Status withContext(const std::string& context) const;

 private:
  Status(Code c, std::string m) : code_(c), message_(std::move(m)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status explaining why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT
  bool isOk() const { return value_.has_value(); }
  explicit operator bool() const { return isOk(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace ridealong

// Early return of a failed Status from a function returning Status or Result.
#define RIDEALONG_RETURN_IF_ERROR(expr) \
  do {                                  \
    ::ridealong::Status _st = (expr);   \
    if (!_st.isOk()) return _st;        \
  } while (0)
