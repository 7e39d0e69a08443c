// FixedPool's slow paths: growing by a chunk, the debug checks and giving memory back.
//
// Chunks are linked through a small header at their start, so the pool needs no container of its own
// and release() is a walk down that list. In debug mode every block on the free list carries a tag
// derived from its address; freeing a block that already carries its tag is a double free, and a
// pointer outside every chunk (or not at a block boundary) is a foreign pointer.
#include "hone/fixed_pool.h"

#include <new>

namespace hone {
namespace {

constexpr std::uintptr_t k_free_key = 0x9e3779b97f4a7c15u;

std::uintptr_t free_tag_of(const void* block) noexcept {
  return reinterpret_cast<std::uintptr_t>(block) ^ k_free_key;
}

}  // namespace

struct FixedPool::Chunk {
  Chunk* next;
  std::size_t blocks;
  std::size_t bytes;        // total bytes obtained from upstream, header included
  std::size_t data_offset;  // where the first block starts, from the chunk's address
  char* data() noexcept { return reinterpret_cast<char*>(this) + data_offset; }
  const char* data() const noexcept { return reinterpret_cast<const char*>(this) + data_offset; }
};

FixedPool::FixedPool(std::size_t block_size, FixedPoolOptions options) noexcept
    : checks_(options.debug_checks),
      block_alignment_(options.block_alignment < alignof(FreeBlock) ? alignof(FreeBlock) : options.block_alignment),
      next_chunk_blocks_(options.first_chunk_blocks == 0 ? 1 : options.first_chunk_blocks),
      max_chunk_blocks_(options.max_chunk_blocks < next_chunk_blocks_ ? next_chunk_blocks_ : options.max_chunk_blocks),
      upstream_(options.upstream != nullptr ? options.upstream : std::pmr::new_delete_resource()) {
  std::size_t size = block_size < sizeof(FreeBlock) ? sizeof(FreeBlock) : block_size;
  block_size_ = detail::round_up(size, block_alignment_);
}

FixedPool::~FixedPool() {
  if (checks_ && blocks_in_use_ != 0) {
    detail::pool_misuse("FixedPool", "destroyed while blocks are still in use", this,
                        "free every block (or destroy the containers using the pool) before the "
                        "pool itself");
  }
  release();
}

void FixedPool::release() noexcept {
  if (checks_ && blocks_in_use_ != 0) {
    detail::pool_misuse("FixedPool", "release() while blocks are still in use", this,
                        "free every block before calling release()");
  }
  Chunk* chunk = chunks_;
  while (chunk != nullptr) {
    Chunk* next = chunk->next;
    HONE_POOL_UNPOISON(chunk, chunk->bytes);
    upstream_->deallocate(chunk, chunk->bytes, block_alignment_ > alignof(Chunk) ? block_alignment_ : alignof(Chunk));
    chunk = next;
  }
  chunks_ = nullptr;
  free_list_ = nullptr;
  capacity_ = 0;
  blocks_in_use_ = 0;
}

bool FixedPool::grow() noexcept {
  const std::size_t alignment = block_alignment_ > alignof(Chunk) ? block_alignment_ : alignof(Chunk);
  const std::size_t data_offset = detail::round_up(sizeof(Chunk), block_alignment_);
  const std::size_t blocks = next_chunk_blocks_;
  const std::size_t bytes = data_offset + blocks * block_size_;
  void* memory = nullptr;
  try {
    memory = upstream_->allocate(bytes, alignment);
  } catch (...) {
    return false;  // reported to the caller as nullptr; no exception leaves the pool
  }
  auto* chunk = new (memory) Chunk{chunks_, blocks, bytes, data_offset};
  chunks_ = chunk;
  // Thread the new blocks onto the free list in address order, so consecutive allocations are
  // consecutive in memory.
  char* data = chunk->data();
  for (std::size_t i = blocks; i-- > 0;) {
    auto* block = reinterpret_cast<FreeBlock*>(data + i * block_size_);
    block->next = free_list_;
    block->free_tag = free_tag_of(block);
    free_list_ = block;
  }
  capacity_ += blocks;
  if (next_chunk_blocks_ < max_chunk_blocks_) {
    next_chunk_blocks_ = next_chunk_blocks_ * 2 > max_chunk_blocks_ ? max_chunk_blocks_ : next_chunk_blocks_ * 2;
  }
  return true;
}

void* FixedPool::allocate_slow() noexcept {
  if (free_list_ == nullptr && !grow()) {
    return nullptr;
  }
  FreeBlock* block = free_list_;
  free_list_ = block->next;
  block->free_tag = 0;  // no longer free: a later free of it is legitimate
  ++blocks_in_use_;
  return block;
}

bool FixedPool::owns(const void* pointer) const noexcept {
  auto address = reinterpret_cast<std::uintptr_t>(pointer);
  for (const Chunk* chunk = chunks_; chunk != nullptr; chunk = chunk->next) {
    auto begin = reinterpret_cast<std::uintptr_t>(chunk->data());
    if (address >= begin && address < begin + chunk->blocks * block_size_) {
      return (address - begin) % block_size_ == 0;
    }
  }
  return false;
}

void FixedPool::check_free(void* pointer) noexcept {
  if (pointer == nullptr || !owns(pointer)) {
    detail::pool_misuse("FixedPool", "free of a foreign pointer", pointer,
                        "the block was not allocated by this pool (or does not start a block)");
  }
  auto* block = static_cast<FreeBlock*>(pointer);
  if (block->free_tag == free_tag_of(block)) {
    detail::pool_misuse("FixedPool", "double free", pointer, "the block is already on this pool's free list");
  }
  block->free_tag = free_tag_of(block);
}

void* FixedPool::do_allocate(std::size_t bytes, std::size_t alignment) {
  if (!fits(bytes, alignment)) {
    return upstream_->allocate(bytes, alignment);
  }
  void* block = allocate_block();
  if (block == nullptr) {
    throw std::bad_alloc();
  }
  return block;
}

void FixedPool::do_deallocate(void* pointer, std::size_t bytes, std::size_t alignment) {
  if (!fits(bytes, alignment)) {
    upstream_->deallocate(pointer, bytes, alignment);
    return;
  }
  free_block(pointer);
}

}  // namespace hone
