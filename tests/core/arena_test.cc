// The applier's Arena (arena.h): aligned bump allocation, growth past a
// block, and reuse across transactions (batches) without new heap blocks.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <memory_resource>
#include <vector>

#include "arena.h"

using ridealong::core::detail::Arena;

namespace {

// One "batch": a pmr vector per record, as the applier allocates.
void batch(Arena& a, int records) {
  std::pmr::vector<std::pmr::vector<int64_t>> rows(&a);
  for (int i = 0; i < records; i++) {
    auto& row = rows.emplace_back();  // uses-allocator: the inner vector gets the arena too
    for (int k = 0; k < 10; k++) row.push_back(i * 10 + k);
  }
  for (int i = 0; i < records; i++) REQUIRE(rows[i][9] == i * 10 + 9);
}

}  // namespace

TEST_CASE("arena: allocations are aligned, distinct and survive growth", "[arena]") {
  Arena a;
  std::vector<std::pair<unsigned char*, size_t>> got;
  for (size_t i = 1; i < 3000; i++) {
    size_t align = size_t{1} << (i % 5);  // 1..16
    auto* p = static_cast<unsigned char*>(a.allocate(i % 97 + 1, align));
    REQUIRE(reinterpret_cast<uintptr_t>(p) % align == 0);
    std::memset(p, static_cast<int>(i & 0xff), i % 97 + 1);
    got.emplace_back(p, i);
  }
  for (auto [p, i] : got)
    for (size_t k = 0; k < i % 97 + 1; k++) REQUIRE(p[k] == static_cast<unsigned char>(i & 0xff));
  CHECK(a.blockCount() > 1);
  void* big = a.allocate(Arena::kFirstBlock * 3, 8);  // larger than any block so far
  std::memset(big, 1, Arena::kFirstBlock * 3);
}

TEST_CASE("arena: reset keeps one block, so equal batches reuse it", "[arena]") {
  Arena a;
  batch(a, 2000);
  a.reset();
  REQUIRE(a.blockCount() == 1);
  const size_t kept = a.capacity();
  CHECK(kept <= Arena::kKeepBytes);
  // A batch that fits the kept block allocates no further block, again and again.
  for (int round = 0; round < 3; round++) {
    batch(a, 200);
    CHECK(a.blockCount() == 1);
    CHECK(a.capacity() == kept);
    a.reset();
  }
}

TEST_CASE("arena: a block above the keep limit is released on reset", "[arena]") {
  Arena a;
  (void)a.allocate(Arena::kKeepBytes + 1, 8);
  a.reset();
  CHECK(a.blockCount() == 0);
  CHECK(a.capacity() == 0);
  batch(a, 10);  // and it still works
}
