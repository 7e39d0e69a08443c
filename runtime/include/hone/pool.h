// The hone memory pools in one include: ObjectPool<T> (thread-safe, RAII handles), FixedPool
// (fixed-size blocks, std::pmr::memory_resource) and Arena (bump allocation with markers,
// std::pmr::memory_resource). See docs/runtime.md, "Memory pools".
#pragma once

#include "hone/arena.h"
#include "hone/fixed_pool.h"
#include "hone/object_pool.h"
