#include "page_applier.h"

#include <exception>
#include <string>

namespace ridealong::sync {

PageApplier::PageApplier(ApplyFn apply, size_t depth)
    : apply_(std::move(apply)), depth_(depth == 0 ? 1 : depth), thread_([this] { run(); }) {}

PageApplier::~PageApplier() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

Status PageApplier::push(OpenedPage page) {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] { return queue_.size() < depth_ || !failure_.isOk(); });
  if (!failure_.isOk()) return failure_;
  queue_.push_back(std::move(page));
  changed_.notify_all();
  return Status::ok();
}

std::vector<PageSummary> PageApplier::takeApplied() {
  std::vector<OpenedPage> pages;
  {
    std::lock_guard lock(mu_);
    pages.swap(applied_);
  }
  std::vector<PageSummary> out;
  for (auto& p : pages) out.push_back(std::move(p.summary));
  return out;
}

Status PageApplier::finish() {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] { return (queue_.empty() && !busy_) || !failure_.isOk(); });
  return failure_;
}

void PageApplier::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    changed_.wait(lock, [&] { return !queue_.empty() || closing_; });
    if (queue_.empty()) return;  // closing, nothing left
    OpenedPage page = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    changed_.notify_all();  // room in the queue
    lock.unlock();
    Status st;
    try {
      st = apply_(page);
    } catch (const std::exception& e) {  // out of memory, say: a failure, not std::terminate
      st = Status::ioError(std::string("applying a page from the relay: ") + e.what());
    }
    lock.lock();
    busy_ = false;
    if (st.isOk()) {
      applied_.push_back(std::move(page));
    } else {
      failure_ = std::move(st);
      queue_.clear();
    }
    changed_.notify_all();
  }
}

}  // namespace ridealong::sync
