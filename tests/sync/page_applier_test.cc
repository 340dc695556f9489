// PageApplier: the sync engine's apply stage on its own thread.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "page_applier.h"

using namespace ridealong;
using namespace ridealong::sync;

namespace {

OpenedPage page(size_t n) {
  OpenedPage p;
  p.summary.changes = n;
  return p;
}

std::vector<size_t> sizes(const std::vector<PageSummary>& pages) {
  std::vector<size_t> out;
  for (const auto& p : pages) out.push_back(p.changes);
  return out;
}

}  // namespace

TEST_CASE("page applier: pages apply one at a time, in order, off the caller's thread", "[sync][applier]") {
  std::mutex mu;
  std::vector<size_t> order;
  std::atomic<int> inside{0}, most{0};
  const auto caller = std::this_thread::get_id();
  std::atomic<bool> offThread{true};
  {
    PageApplier applier(
        [&](const OpenedPage& p) {
          int now = ++inside;
          most = std::max(most.load(), now);
          if (std::this_thread::get_id() == caller) offThread = false;
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
          {
            std::lock_guard lock(mu);
            order.push_back(p.summary.changes);
          }
          --inside;
          return Status::ok();
        },
        1);
    for (size_t i = 1; i <= 6; i++) REQUIRE(applier.push(page(i)));
    REQUIRE(applier.finish());
    CHECK(sizes(applier.takeApplied()) == std::vector<size_t>{1, 2, 3, 4, 5, 6});
    CHECK(applier.takeApplied().empty());
  }
  CHECK(order == std::vector<size_t>{1, 2, 3, 4, 5, 6});
  CHECK(most == 1);
  CHECK(offThread);
}

TEST_CASE("page applier: a failed page stops the ones after it and is reported", "[sync][applier]") {
  std::vector<size_t> applied;
  PageApplier applier(
      [&](const OpenedPage& p) {
        if (p.summary.changes == 3) return Status::diskFull("no room for page 3");
        applied.push_back(p.summary.changes);
        return Status::ok();
      },
      1);
  Status pushed;
  for (size_t i = 1; i <= 8 && pushed.isOk(); i++) pushed = applier.push(page(i));
  Status done = applier.finish();
  REQUIRE_FALSE(done);
  CHECK(done.message() == "no room for page 3");
  CHECK(applied == std::vector<size_t>{1, 2});
  CHECK(sizes(applier.takeApplied()) == std::vector<size_t>{1, 2});
  CHECK(applier.push(page(9)).message() == "no room for page 3");  // nothing more is taken
  CHECK(applied == std::vector<size_t>{1, 2});
}

TEST_CASE("page applier: pages queued when it is destroyed are still applied", "[sync][applier]") {
  std::atomic<size_t> total{0};
  {
    PageApplier applier(
        [&](const OpenedPage& p) {
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
          total += p.summary.changes;
          return Status::ok();
        },
        2);
    REQUIRE(applier.push(page(10)));
    REQUIRE(applier.push(page(20)));
    REQUIRE(applier.push(page(30)));
  }  // as when a network error unwinds the pull mid-way
  CHECK(total == 60);
}
