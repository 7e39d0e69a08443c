// The SIMD rows of tests/bench/runtime_ratios.py: hone's kernels against every baseline issue 14 names,
// in one process. Rows are <kernel>/<size>/<variant>:
//   kernel   sum_f32, dot_f32 (compilers vectorize these with -ffast-math), and the ones they cannot
//            or may not vectorize: min_f32 (value and index of the first minimum), count_u8, find_u8
//            (value absent: a full scan with an early-exit test per vector), prefix_sum_f32
//   size     n4, n64 (elements: the per-call overhead), L1 (8 KiB per array), L2 (256 KiB per array),
//            mem (64 MiB per array)
//   variant  strict (the plain loop, GCC -O2 with the vectorizers off), gcc_o3_native, clang_o3_native,
//            clang_o3_native_fastmath, highway_avx2 / highway_native (static targets, correctly
//            built), highway_dynamic (HWY_DYNAMIC_DISPATCH), hone (the public API: dispatched through
//            the active target's table), hone_avx2 and hone_avx512 (one target's table directly)
// Highway has sum, dot, count and find (simd_highway_kernels.inc). The chosen Highway and hone targets
// are checked at start-up and put in the JSON context (highway_avx2_target, ...): a static AVX2 build
// that came out as anything else is an error, the mistake behind issue 14's invalid comparison.
#include "simd_reference.h"

#include "hone/simd.h"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

struct Size {
  const char* name;
  std::size_t bytes;  // per array (for n4/n64: elements * sizeof(T), set per kernel)
  std::size_t elements;
};

// An array of `count` elements of T, 64-byte aligned, filled with small values (sums stay finite,
// comparisons are real). One per (count, which) and type, made on first use, kept for the run.
template <class T> T* array(std::size_t count, int which) {
  struct Slot {
    std::size_t count;
    int which;
    std::unique_ptr<unsigned char[]> storage;
    T* data;
  };
  static std::vector<Slot> slots;
  for (Slot& slot : slots)
    if (slot.count == count && slot.which == which) return slot.data;
  auto storage = std::make_unique<unsigned char[]>(count * sizeof(T) + 64);
  auto base = reinterpret_cast<std::uintptr_t>(storage.get());
  T* data = reinterpret_cast<T*>((base + 63) / 64 * 64);
  std::mt19937 rng(static_cast<unsigned>(which * 7 + 1));
  for (std::size_t i = 0; i < count; ++i)
    data[i] = static_cast<T>(rng() % 100) / static_cast<T>(sizeof(T) == 1 ? 1 : 7);
  slots.push_back({count, which, std::move(storage), data});
  return data;
}

void add_row(const std::string& name, std::size_t bytes, std::function<void(benchmark::State&)> body) {
  benchmark::RegisterBenchmark(name.c_str(), [=](benchmark::State& state) {
    body(state);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  })->UseRealTime();
}

const hone::simd::Kernels* hone_avx2 = hone::simd::kernels_for(hone::simd::Target::avx2);
const hone::simd::Kernels* hone_avx512 = hone::simd::kernels_for(hone::simd::Target::avx512);

// One kernel's rows at one size. F is the signature the variants share; a null entry is skipped.
template <class T, class F>
void rows(const std::string& kernel, const std::string& size, std::size_t n, int arrays,
          const std::vector<std::pair<std::string, F*>>& variants, std::function<void(F*, std::size_t)> call) {
  for (const auto& [variant, function] : variants) {
    if (function == nullptr) continue;
    add_row(kernel + "/" + size + "/" + variant, n * sizeof(T) * static_cast<std::size_t>(arrays),
            [=](benchmark::State& state) {
              for (auto _ : state) call(function, n);
            });
  }
}

using SumF32 = float(const float*, std::size_t);
using DotF32 = float(const float*, const float*, std::size_t);
using CountU8 = std::size_t(const std::uint8_t*, std::size_t, std::uint8_t);
using MinF32 = std::size_t(const float*, std::size_t);
using PrefixF32 = void(const float*, float*, std::size_t);

// The public API with its dispatch, as a user calls it.
float hone_sum(const float* a, std::size_t n) {
  return hone::simd::sum(a, n);
}
float hone_dot(const float* a, const float* b, std::size_t n) {
  return hone::simd::dot(a, b, n);
}
std::size_t hone_count(const std::uint8_t* a, std::size_t n, std::uint8_t v) {
  return hone::simd::count(a, n, v);
}
std::size_t hone_find(const std::uint8_t* a, std::size_t n, std::uint8_t v) {
  return hone::simd::find(a, n, v);
}
std::size_t hone_min(const float* a, std::size_t n) {
  return hone::simd::min(a, n).index;
}
void hone_prefix(const float* a, float* out, std::size_t n) {
  hone::simd::prefix_sum(a, out, n);
}
// One target's table, called directly (no dispatch): captured through these function-pointer shims.
template <const hone::simd::Kernels** table> float target_sum(const float* a, std::size_t n) {
  return (*table)->sum_f32(a, n);
}
template <const hone::simd::Kernels** table> float target_dot(const float* a, const float* b, std::size_t n) {
  return (*table)->dot_f32(a, b, n);
}
template <const hone::simd::Kernels** table>
std::size_t target_count(const std::uint8_t* a, std::size_t n, std::uint8_t v) {
  return (*table)->count_u8(a, n, v);
}
template <const hone::simd::Kernels** table>
std::size_t target_find(const std::uint8_t* a, std::size_t n, std::uint8_t v) {
  return (*table)->find_u8(a, n, v);
}
template <const hone::simd::Kernels** table> std::size_t target_min(const float* a, std::size_t n) {
  return (*table)->min_f32(a, n).index;
}
template <const hone::simd::Kernels** table> void target_prefix(const float* a, float* out, std::size_t n) {
  (*table)->prefix_sum_f32(a, out, n);
}

template <class F>
std::vector<std::pair<std::string, F*>> with_hone(std::vector<std::pair<std::string, F*>> list, F* dispatched, F* avx2,
                                                  F* avx512) {
  list.emplace_back("hone", dispatched);
  list.emplace_back("hone_avx2", hone_avx2 != nullptr ? avx2 : nullptr);
  list.emplace_back("hone_avx512", hone_avx512 != nullptr ? avx512 : nullptr);
  return list;
}

#if HONE_BENCH_HAVE_CLANG
#define HONE_CLANG(name)                                                                                               \
  {"clang_o3_native", hone_ref_clang::name}, {"clang_o3_native_fastmath", hone_ref_clang_fast::name},
#else
#define HONE_CLANG(name)
#endif
#if HONE_BENCH_HAVE_HIGHWAY
#define HONE_HIGHWAY(name)                                                                                             \
  {"highway_avx2", hone_highway_avx2::name}, {"highway_native", hone_highway_native::name},                            \
      {"highway_dynamic", hone_highway_dynamic::name},
#else
#define HONE_HIGHWAY(name)
#endif

void register_size(const Size& size) {
  const std::size_t n32 = size.elements != 0 ? size.elements : size.bytes / 4;
  const std::size_t n8 = size.elements != 0 ? size.elements : size.bytes;
  const float* fa = array<float>(n32, 0);
  const float* fb = array<float>(n32, 1);
  float* fout = array<float>(n32, 2);
  const std::uint8_t* ba = array<std::uint8_t>(n8, 0);

  rows<float, SumF32>("sum_f32", size.name, n32, 1,
                      with_hone<SumF32>({{"strict", hone_ref_o2::sum_f32},
                                         {"gcc_o3_native", hone_ref_o3::sum_f32},
                                         HONE_CLANG(sum_f32) HONE_HIGHWAY(sum_f32)},
                                        hone_sum, target_sum<&hone_avx2>, target_sum<&hone_avx512>),
                      [fa](SumF32* f, std::size_t n) { benchmark::DoNotOptimize(f(fa, n)); });
  rows<float, DotF32>("dot_f32", size.name, n32, 2,
                      with_hone<DotF32>({{"strict", hone_ref_o2::dot_f32},
                                         {"gcc_o3_native", hone_ref_o3::dot_f32},
                                         HONE_CLANG(dot_f32) HONE_HIGHWAY(dot_f32)},
                                        hone_dot, target_dot<&hone_avx2>, target_dot<&hone_avx512>),
                      [fa, fb](DotF32* f, std::size_t n) { benchmark::DoNotOptimize(f(fa, fb, n)); });
  rows<std::uint8_t, CountU8>("count_u8", size.name, n8, 1,
                              with_hone<CountU8>({{"strict", hone_ref_o2::count_u8},
                                                  {"gcc_o3_native", hone_ref_o3::count_u8},
                                                  HONE_CLANG(count_u8) HONE_HIGHWAY(count_u8)},
                                                 hone_count, target_count<&hone_avx2>, target_count<&hone_avx512>),
                              [ba](CountU8* f, std::size_t n) { benchmark::DoNotOptimize(f(ba, n, 42)); });
  rows<std::uint8_t, CountU8>(
      "find_u8", size.name, n8, 1,
      with_hone<CountU8>({{"strict", hone_ref_o2::find_u8},
                          {"gcc_o3_native", hone_ref_o3::find_u8},
                          HONE_CLANG(find_u8) HONE_HIGHWAY(find_u8)},
                         hone_find, target_find<&hone_avx2>, target_find<&hone_avx512>),
      [ba](CountU8* f, std::size_t n) { benchmark::DoNotOptimize(f(ba, n, 200)); });  // 200 is absent
  rows<float, MinF32>("min_f32", size.name, n32, 1,
                      with_hone<MinF32>({{"strict", hone_ref_o2::min_index_f32},
                                         {"gcc_o3_native", hone_ref_o3::min_index_f32},
                                         HONE_CLANG(min_index_f32)},
                                        hone_min, target_min<&hone_avx2>, target_min<&hone_avx512>),
                      [fa](MinF32* f, std::size_t n) { benchmark::DoNotOptimize(f(fa, n)); });
  rows<float, PrefixF32>("prefix_sum_f32", size.name, n32, 2,
                         with_hone<PrefixF32>({{"strict", hone_ref_o2::prefix_sum_f32},
                                               {"gcc_o3_native", hone_ref_o3::prefix_sum_f32},
                                               HONE_CLANG(prefix_sum_f32)},
                                              hone_prefix, target_prefix<&hone_avx2>, target_prefix<&hone_avx512>),
                         [fa, fout](PrefixF32* f, std::size_t n) {
                           f(fa, fout, n);
                           benchmark::ClobberMemory();
                         });
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::AddCustomContext("hone_target", hone::simd::target_name(hone::simd::active_target()));
#if HONE_BENCH_HAVE_HIGHWAY
  const std::string static_avx2 = hone_highway_avx2::target_name();
  benchmark::AddCustomContext("highway_avx2_target", static_avx2);
  benchmark::AddCustomContext("highway_native_target", hone_highway_native::target_name());
  benchmark::AddCustomContext("highway_dynamic_target", hone_highway_dynamic::target_name());
  if (static_avx2 != "AVX2") {
    std::fprintf(stderr,
                 "hone_bench_simd_ratios: error: the static AVX2 Highway build targets %s, not AVX2 "
                 "(compile flags of simd_highway_avx2.cpp)\n",
                 static_avx2.c_str());
    return 1;
  }
#endif
  const Size sizes[] = {{"n4", 0, 4}, {"n64", 0, 64}, {"L1", 8 << 10, 0}, {"L2", 256 << 10, 0}, {"mem", 64 << 20, 0}};
  for (const Size& size : sizes) register_size(size);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
