#include "arena.h"

#include <algorithm>
#include <cstdint>
#include <new>

namespace ridealong::core::detail {

Arena::~Arena() {
  for (const Block& b : blocks_) ::operator delete (b.data, std::align_val_t{alignof(std::max_align_t)});
}

size_t Arena::capacity() const {
  size_t n = 0;
  for (const Block& b : blocks_) n += b.size;
  return n;
}

void* Arena::do_allocate(size_t bytes, size_t align) {
  auto p = reinterpret_cast<uintptr_t>(cur_);
  uintptr_t aligned = (p + align - 1) & ~(uintptr_t{align} - 1);
  if (cur_ && aligned + bytes <= reinterpret_cast<uintptr_t>(end_)) {
    cur_ = reinterpret_cast<std::byte*>(aligned + bytes);
    return reinterpret_cast<void*>(aligned);
  }
  return grow(bytes, align);
}

// A new block at least twice the last one, so a transaction of any size
// needs O(log n) blocks.
void* Arena::grow(size_t bytes, size_t align) {
  size_t size = std::max(kFirstBlock, blocks_.empty() ? 0 : blocks_.back().size * 2);
  size = std::max(size, bytes + align);
  auto* data = static_cast<std::byte*>(::operator new (size, std::align_val_t{alignof(std::max_align_t)}));
  blocks_.push_back(Block{data, size});
  cur_ = data;
  end_ = data + size;
  return do_allocate(bytes, align);
}

void Arena::reset() {
  auto largest =
      std::max_element(blocks_.begin(), blocks_.end(), [](const Block& a, const Block& b) { return a.size < b.size; });
  Block keep{nullptr, 0};
  if (largest != blocks_.end() && largest->size <= kKeepBytes) {
    keep = *largest;
    blocks_.erase(largest);
  }
  for (const Block& b : blocks_) ::operator delete (b.data, std::align_val_t{alignof(std::max_align_t)});
  blocks_.clear();
  cur_ = end_ = nullptr;
  if (keep.data) {
    blocks_.push_back(keep);
    cur_ = keep.data;
    end_ = keep.data + keep.size;
  }
}

}  // namespace ridealong::core::detail
