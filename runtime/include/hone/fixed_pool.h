// hone::FixedPool: a pool of equally sized memory blocks, usable directly (allocate_block /
// free_block) and as a std::pmr::memory_resource for standard containers of one node size
// (std::pmr::list, std::pmr::map, std::pmr::set, ...).
//
// Free blocks form an intrusive singly linked list, so allocating and freeing are a handful of
// instructions with no size-class lookup; memory comes from the upstream resource in chunks that grow
// geometrically and is returned only by release() or the destructor. One FixedPool is meant for one
// thread at a time (like std::pmr::unsynchronized_pool_resource); for objects shared between threads
// use hone::ObjectPool. Requests larger than the block size (or more strictly aligned) are passed to
// the upstream resource, so a pmr container never fails because of an odd-sized allocation.
#pragma once

#include "hone/detail/pool_common.h"

#include <cstddef>
#include <cstdint>
#include <memory_resource>

namespace hone {

struct FixedPoolOptions {
  // Alignment of every block; a power of two. Blocks are rounded up to a multiple of it.
  std::size_t block_alignment = alignof(std::max_align_t);
  // Blocks in the first chunk; later chunks double up to max_chunk_blocks.
  std::size_t first_chunk_blocks = 64;
  std::size_t max_chunk_blocks = 4096;
  // Detect double free and foreign pointers (pointers this pool never handed out) and abort with a
  // message; also make the destructor report blocks still in use.
  bool debug_checks = k_pool_checks_default;
  // Where chunks (and oversized requests) come from.
  std::pmr::memory_resource* upstream = std::pmr::new_delete_resource();
};

class FixedPool final : public std::pmr::memory_resource {
public:
  // block_size: bytes each block holds (at least 1); rounded up to the alignment, minimum 16.
  explicit FixedPool(std::size_t block_size, FixedPoolOptions options = {}) noexcept;
  ~FixedPool() override;
  FixedPool(const FixedPool&) = delete;
  FixedPool& operator=(const FixedPool&) = delete;

  // One block of block_size() bytes, or nullptr when the upstream resource is out of memory.
  void* allocate_block() noexcept {
    FreeBlock* block = free_list_;
    if (block == nullptr || checks_) [[unlikely]] {
      return allocate_slow();
    }
    free_list_ = block->next;
    ++blocks_in_use_;
    return block;
  }

  // Returns a block obtained from allocate_block() (or from allocate() with a size <= block_size()).
  void free_block(void* pointer) noexcept {
    if (checks_) [[unlikely]] {
      check_free(pointer);
    }
    auto* block = static_cast<FreeBlock*>(pointer);
    block->next = free_list_;
    free_list_ = block;
    --blocks_in_use_;
  }

  // Gives every chunk back to upstream. All blocks must be free (checked in debug mode).
  void release() noexcept;

  std::size_t block_size() const noexcept { return block_size_; }
  std::size_t block_alignment() const noexcept { return block_alignment_; }
  std::size_t blocks_in_use() const noexcept { return blocks_in_use_; }
  // Blocks the pool owns (free or in use).
  std::size_t capacity() const noexcept { return capacity_; }

protected:
  // std::pmr interface: bad_alloc on exhaustion, as the standard requires of a memory_resource.
  void* do_allocate(std::size_t bytes, std::size_t alignment) override;
  void do_deallocate(void* pointer, std::size_t bytes, std::size_t alignment) override;
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }

private:
  // A free block holds the link to the next free block and, in debug mode, a tag that marks it free
  // (its own address mixed with a key, so live data matching it by accident is vanishingly unlikely).
  struct FreeBlock {
    FreeBlock* next;
    std::uintptr_t free_tag;
  };
  struct Chunk;

  void* allocate_slow() noexcept;
  bool grow() noexcept;
  void check_free(void* pointer) noexcept;
  bool owns(const void* pointer) const noexcept;
  bool fits(std::size_t bytes, std::size_t alignment) const noexcept {
    return bytes <= block_size_ && alignment <= block_alignment_;
  }

  FreeBlock* free_list_ = nullptr;
  bool checks_;
  std::size_t block_size_;
  std::size_t block_alignment_;
  std::size_t next_chunk_blocks_;
  std::size_t max_chunk_blocks_;
  std::size_t blocks_in_use_ = 0;
  std::size_t capacity_ = 0;
  Chunk* chunks_ = nullptr;
  std::pmr::memory_resource* upstream_;
};

}  // namespace hone
