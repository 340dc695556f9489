// Applies received sync pages in order on a thread of its own, so the engine
// thread can receive and open the next pages meanwhile (an initial sync is a
// pipeline: relay reads, this device opens, the store applies). Each page is
// one Notebook::applyChanges, i.e. one transaction. Internal to sync.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "engine_pages.h"

namespace ridealong::sync {

class PageApplier {
 public:
  using ApplyFn = std::function<Status(OpenedPage&)>;  // may fill page.summary.report
  // At most `depth` opened pages wait (memory: a page is up to 4 MiB).
  PageApplier(ApplyFn apply, size_t depth);
  // Applies what is queued (pages are whole and checked: keeping them loses
  // nothing), then joins.
  ~PageApplier();
  PageApplier(const PageApplier&) = delete;
  PageApplier& operator=(const PageApplier&) = delete;

  // Queues a page; blocks while `depth` pages wait. Once a page has failed
  // to apply, returns that failure and drops this page (and any queued).
  Status push(OpenedPage page);
  // What was applied since the last call, in order: for the engine's status.
  // The applied pages are freed here, on the caller's thread: freeing a
  // large decoded page takes milliseconds the applier need not spend.
  std::vector<PageSummary> takeApplied();
  // Waits until every queued page is applied; the first failure, if any.
  Status finish();

 private:
  void run();

  ApplyFn apply_;
  const size_t depth_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<OpenedPage> queue_;
  bool busy_ = false, closing_ = false;
  Status failure_;
  std::vector<OpenedPage> applied_;
  std::thread thread_;
};

}  // namespace ridealong::sync
