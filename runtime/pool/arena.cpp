// Arena's slow path, markers and reset.
//
// Chunks form a list in the order they are first used. The chunk the cursor is in is current_; every
// chunk after it is free (rewind and reset move the cursor back without unlinking anything), so when
// the current chunk is full the next one is reused if the request fits, and otherwise a new chunk is
// linked in right after the current one (a skipped small chunk stays free behind it). That keeps the invariant, and
// with it the meaning of a marker: "this chunk, this position; everything later in the list is newer".
#include "hone/arena.h"

namespace hone {

struct Arena::Chunk {
  Chunk* next;
  std::size_t bytes;  // usable bytes after the header
  bool owned;         // false for the caller's buffer
  char* begin() noexcept { return reinterpret_cast<char*>(this + 1); }
  char* end() noexcept { return begin() + bytes; }
};

Arena::Arena(ArenaOptions options) noexcept
    : next_chunk_bytes_(options.first_chunk_bytes < 64 ? 64 : options.first_chunk_bytes),
      max_chunk_bytes_(options.max_chunk_bytes < next_chunk_bytes_ ? next_chunk_bytes_ : options.max_chunk_bytes),
      checks_(options.debug_checks),
      upstream_(options.upstream != nullptr ? options.upstream : std::pmr::new_delete_resource()) {}

Arena::Arena(void* buffer, std::size_t bytes, ArenaOptions options) noexcept : Arena(options) {
  // The caller's buffer becomes the first chunk if it can hold the header and something more.
  auto address = reinterpret_cast<std::uintptr_t>(buffer);
  std::uintptr_t aligned = detail::round_up(address, alignof(Chunk));
  if (buffer != nullptr && aligned + sizeof(Chunk) < address + bytes) {
    std::size_t usable = address + bytes - aligned - sizeof(Chunk);
    first_ = ::new (reinterpret_cast<void*>(aligned)) Chunk{nullptr, usable, false};
    enter(first_, first_->begin());
    poison_after_cursor();
  }
}

Arena::~Arena() {
  release();
}

void Arena::enter(Chunk* chunk, char* position) noexcept {
  current_ = chunk;
  cursor_ = position;
  end_ = chunk->end();
}

void Arena::poison_after_cursor() noexcept {
  if (current_ != nullptr) {
    HONE_POOL_POISON(cursor_, static_cast<std::size_t>(end_ - cursor_));
  }
  for (Chunk* chunk = current_ != nullptr ? current_->next : nullptr; chunk != nullptr; chunk = chunk->next) {
    HONE_POOL_POISON(chunk->begin(), chunk->bytes);
  }
}

void* Arena::allocate_slow(std::size_t bytes, std::size_t alignment) noexcept {
  if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
    return nullptr;  // not a power of two: no valid answer
  }
  // Worst case the chunk's data start needs alignment - 1 bytes of adjustment.
  const std::size_t needed = bytes + alignment;
  // The chunk after the current one is free: reuse it if the request fits.
  Chunk* next = current_ != nullptr ? current_->next : first_;
  if (next != nullptr && next->bytes >= needed) {
    enter(next, next->begin());
    return allocate_bytes(bytes, alignment);
  }
  std::size_t size = next_chunk_bytes_ >= needed ? next_chunk_bytes_ : needed;
  void* memory = nullptr;
  try {
    memory = upstream_->allocate(sizeof(Chunk) + size, alignof(Chunk));
  } catch (...) {
    return nullptr;
  }
  auto* chunk = ::new (memory) Chunk{nullptr, size, true};
  if (current_ != nullptr) {
    chunk->next = current_->next;
    current_->next = chunk;
  } else {
    chunk->next = first_;
    first_ = chunk;
  }
  HONE_POOL_POISON(chunk->begin(), chunk->bytes);
  if (next_chunk_bytes_ < max_chunk_bytes_) {
    next_chunk_bytes_ = next_chunk_bytes_ * 2 > max_chunk_bytes_ ? max_chunk_bytes_ : next_chunk_bytes_ * 2;
  }
  enter(chunk, chunk->begin());
  return allocate_bytes(bytes, alignment);
}

void Arena::rewind(Marker marker) noexcept {
  if (marker.arena_ != this) {
    if (marker.arena_ == nullptr && marker.chunk_ == nullptr) {
      reset();  // a default-constructed marker means "the beginning"
      return;
    }
    detail::pool_misuse("Arena", "rewind to a marker taken from a different arena", marker.position_,
                        "take the marker with mark() on the arena you rewind");
  }
  if (marker.chunk_ == nullptr) {
    reset();  // marked before the first allocation
    return;
  }
  if (checks_) {
    bool reachable = false;
    for (Chunk* chunk = first_; chunk != nullptr; chunk = chunk->next) {
      if (chunk == marker.chunk_) {
        reachable = chunk != current_ || marker.position_ <= cursor_;
        break;
      }
      if (chunk == current_) {
        break;  // reached the current chunk without meeting the marker's: it lies in the future
      }
    }
    if (!reachable) {
      detail::pool_misuse("Arena", "rewind to a marker that lies beyond the current position", marker.position_,
                          "the arena was already rewound or reset past this marker");
    }
  }
  enter(marker.chunk_, marker.position_);
  poison_after_cursor();
}

void Arena::reset() noexcept {
  if (first_ == nullptr) {
    return;
  }
  enter(first_, first_->begin());
  poison_after_cursor();
}

void Arena::release() noexcept {
  Chunk* chunk = first_;
  Chunk* kept = nullptr;
  while (chunk != nullptr) {
    Chunk* next = chunk->next;
    HONE_POOL_UNPOISON(chunk->begin(), chunk->bytes);
    if (chunk->owned) {
      upstream_->deallocate(chunk, sizeof(Chunk) + chunk->bytes, alignof(Chunk));
    } else {
      kept = chunk;  // the caller's buffer stays usable
      kept->next = nullptr;
    }
    chunk = next;
  }
  first_ = kept;
  current_ = nullptr;
  cursor_ = end_ = nullptr;
  if (kept != nullptr) {
    enter(kept, kept->begin());
  }
}

std::size_t Arena::bytes_used() const noexcept {
  std::size_t used = 0;
  for (Chunk* chunk = first_; chunk != nullptr; chunk = chunk->next) {
    if (chunk == current_) {
      return used + static_cast<std::size_t>(cursor_ - chunk->begin());
    }
    used += chunk->bytes;
  }
  return used;
}

std::size_t Arena::bytes_reserved() const noexcept {
  std::size_t reserved = 0;
  for (Chunk* chunk = first_; chunk != nullptr; chunk = chunk->next) {
    reserved += chunk->bytes;
  }
  return reserved;
}

void* Arena::do_allocate(std::size_t bytes, std::size_t alignment) {
  void* memory = allocate_bytes(bytes, alignment);
  if (memory == nullptr) {
    throw std::bad_alloc();
  }
  return memory;
}

}  // namespace hone
