// Arena: a bump allocator (std::pmr::memory_resource) for the applier's
// per-transaction records. Malloc/free of the records' strings and vectors
// was about a third of all instructions when applying a change file; here an
// allocation is a pointer bump, nothing is freed one by one, and reset()
// drops everything at once. Blocks up to a limit are kept for the next
// transaction, so a run of small commits allocates nothing from the heap.
// Not thread-safe: one transaction (one thread) at a time.
#pragma once

#include <cstddef>
#include <memory_resource>
#include <vector>

namespace ridealong::core::detail {

class Arena final : public std::pmr::memory_resource {
 public:
  static constexpr size_t kFirstBlock = 64 << 10;
  static constexpr size_t kKeepBytes = 4 << 20;  // kept across reset()

  Arena() = default;
  ~Arena() override;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // Forgets every allocation. Keeps the largest block if it is at most
  // kKeepBytes (so the next transaction of the same size reuses it).
  void reset();

  size_t blockCount() const { return blocks_.size(); }
  size_t capacity() const;  // bytes in all blocks

 private:
  struct Block {
    std::byte* data;
    size_t size;
  };
  void* do_allocate(size_t bytes, size_t align) override;
  void do_deallocate(void*, size_t, size_t) override {}  // freed by reset()
  bool do_is_equal(const std::pmr::memory_resource& o) const noexcept override { return this == &o; }
  void* grow(size_t bytes, size_t align);

  std::vector<Block> blocks_;
  std::byte* cur_ = nullptr;
  std::byte* end_ = nullptr;
};

}  // namespace ridealong::core::detail
