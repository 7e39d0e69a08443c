// hone::simd kernels per target against the plain loop at -O2 (vectorizer off) and the compiler's
// auto-vectorized loop at -O3 -march=native, on data in L1 (2048 elements) and on arrays far larger
// than the caches (64 MiB per array), where the yardstick is the read bandwidth measured in the same
// run by read_stream (the faster of an -O3 -march=native loop and a 256-bit intrinsics loop). Every row reports bytes/s
// (bytes read + written) so rows compare directly; tests/bench/simd_ratios.py turns a run into the speedup and
// %-of-bandwidth tables of docs/runtime.md.
//
// Row names: <kernel>/<size>/<variant>, variant = ref_o2 | ref_o3_native | hone_<target> |
// highway_avx2. Targets this CPU cannot run are not registered.
#include "simd_reference.h"

#include "hone/simd.h"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

using hone::simd::Kernels;
using hone::simd::Target;

constexpr std::size_t k_l1_bytes = 8 * 1024;      // per array: two arrays fit a 32 KiB L1
constexpr std::size_t k_memory_bytes = 64 << 20;  // per array: far beyond L2/L3

// Arrays are made once per size and type, filled with values that keep sums finite and exercise
// real comparisons, and shared by all rows. They start HONE_BENCH_ARRAY_OFFSET bytes past a 64-byte
// boundary (default 0; glibc's malloc gives large arrays an offset of 16, which costs 512-bit loads a
// cache-line split each: set the variable to 16 to see that case).
template <class T> T* shared_array(std::size_t bytes, int which) {
  struct Array {
    std::unique_ptr<unsigned char[]> storage;
    T* data = nullptr;
  };
  static std::vector<Array> arrays(8);
  std::size_t slot = static_cast<std::size_t>(which) * 2 + (bytes == k_l1_bytes ? 0 : 1);
  if (arrays[slot].data == nullptr) {
    const char* offset_text = std::getenv("HONE_BENCH_ARRAY_OFFSET");
    std::size_t offset = offset_text != nullptr ? std::strtoul(offset_text, nullptr, 10) % 64 : 0;
    offset -= offset % sizeof(T);
    arrays[slot].storage = std::make_unique<unsigned char[]>(bytes + 128);
    auto base = reinterpret_cast<std::uintptr_t>(arrays[slot].storage.get());
    arrays[slot].data = reinterpret_cast<T*>((base + 63) / 64 * 64 + offset);
    std::mt19937 rng(static_cast<unsigned>(slot));
    for (std::size_t i = 0; i < bytes / sizeof(T); ++i) {
      arrays[slot].data[i] = static_cast<T>(rng() % 100) / static_cast<T>(sizeof(T) == 1 ? 1 : 7);
    }
  }
  return arrays[slot].data;
}

void add_row(const std::string& name, std::size_t bytes_per_iteration, std::function<void(benchmark::State&)> body) {
  benchmark::RegisterBenchmark(name.c_str(), [=](benchmark::State& state) {
    body(state);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes_per_iteration));
  });
}

struct Variant {
  std::string name;
  const Kernels* kernels;  // null for the reference loops
};

void register_all() {
  std::vector<Variant> hone_variants;
  for (int t = 0; t < hone::simd::k_target_count; ++t) {
    if (const Kernels* k = hone::simd::kernels_for(static_cast<Target>(t))) {
      hone_variants.push_back({std::string("hone_") + hone::simd::target_name(k->target), k});
    }
  }
  for (std::size_t bytes : {k_l1_bytes, k_memory_bytes}) {
    const std::string size = bytes == k_l1_bytes ? "L1" : "memory";
    const std::size_t n32 = bytes / 4, n64 = bytes / 8, n8 = bytes;

    add_row("read_stream/" + size + "/ref_o3_native", bytes, [=](benchmark::State& state) {
      const auto* a = shared_array<std::uint64_t>(bytes, 0);
      for (auto _ : state) {
        benchmark::DoNotOptimize(hone_ref_o3::read_stream(a, n64));
      }
    });

    add_row("read_stream/" + size + "/avx2_intrinsics", bytes, [=](benchmark::State& state) {
      const auto* a = shared_array<std::uint64_t>(bytes, 0);
      for (auto _ : state) {
        benchmark::DoNotOptimize(hone_bandwidth::read_stream_avx2(a, n64));
      }
    });

    // sum_f32
    add_row("sum_f32/" + size + "/ref_o2", bytes, [=](benchmark::State& state) {
      const float* a = shared_array<float>(bytes, 0);
      for (auto _ : state) benchmark::DoNotOptimize(hone_ref_o2::sum_f32(a, n32));
    });
    add_row("sum_f32/" + size + "/ref_o3_native", bytes, [=](benchmark::State& state) {
      const float* a = shared_array<float>(bytes, 0);
      for (auto _ : state) benchmark::DoNotOptimize(hone_ref_o3::sum_f32(a, n32));
    });
#if HONE_BENCH_HAVE_HIGHWAY
    add_row("sum_f32/" + size + "/highway_avx2", bytes, [=](benchmark::State& state) {
      const float* a = shared_array<float>(bytes, 0);
      for (auto _ : state) benchmark::DoNotOptimize(hone_highway::sum_f32(a, n32));
    });
#endif
    for (const Variant& v : hone_variants) {
      add_row("sum_f32/" + size + "/" + v.name, bytes, [=](benchmark::State& state) {
        const float* a = shared_array<float>(bytes, 0);
        for (auto _ : state) benchmark::DoNotOptimize(v.kernels->sum_f32(a, n32));
      });
    }

    // dot_f32 (two arrays)
    add_row("dot_f32/" + size + "/ref_o2", 2 * bytes, [=](benchmark::State& state) {
      const float* a = shared_array<float>(bytes, 0);
      const float* b = shared_array<float>(bytes, 1);
      for (auto _ : state) benchmark::DoNotOptimize(hone_ref_o2::dot_f32(a, b, n32));
    });
    add_row("dot_f32/" + size + "/ref_o3_native", 2 * bytes, [=](benchmark::State& state) {
      const float* a = shared_array<float>(bytes, 0);
      const float* b = shared_array<float>(bytes, 1);
      for (auto _ : state) benchmark::DoNotOptimize(hone_ref_o3::dot_f32(a, b, n32));
    });
#if HONE_BENCH_HAVE_HIGHWAY
    add_row("dot_f32/" + size + "/highway_avx2", 2 * bytes, [=](benchmark::State& state) {
      const float* a = shared_array<float>(bytes, 0);
      const float* b = shared_array<float>(bytes, 1);
      for (auto _ : state) benchmark::DoNotOptimize(hone_highway::dot_f32(a, b, n32));
    });
#endif
    for (const Variant& v : hone_variants) {
      add_row("dot_f32/" + size + "/" + v.name, 2 * bytes, [=](benchmark::State& state) {
        const float* a = shared_array<float>(bytes, 0);
        const float* b = shared_array<float>(bytes, 1);
        for (auto _ : state) benchmark::DoNotOptimize(v.kernels->dot_f32(a, b, n32));
      });
    }

    // sum_f64, dot_f64
    add_row("sum_f64/" + size + "/ref_o2", bytes, [=](benchmark::State& state) {
      const double* a = shared_array<double>(bytes, 0);
      for (auto _ : state) benchmark::DoNotOptimize(hone_ref_o2::sum_f64(a, n64));
    });
    add_row("sum_f64/" + size + "/ref_o3_native", bytes, [=](benchmark::State& state) {
      const double* a = shared_array<double>(bytes, 0);
      for (auto _ : state) benchmark::DoNotOptimize(hone_ref_o3::sum_f64(a, n64));
    });
    for (const Variant& v : hone_variants) {
      add_row("sum_f64/" + size + "/" + v.name, bytes, [=](benchmark::State& state) {
        const double* a = shared_array<double>(bytes, 0);
        for (auto _ : state) benchmark::DoNotOptimize(v.kernels->sum_f64(a, n64));
      });
    }
    add_row("dot_f64/" + size + "/ref_o2", 2 * bytes, [=](benchmark::State& state) {
      const double* a = shared_array<double>(bytes, 0);
      const double* b = shared_array<double>(bytes, 1);
      for (auto _ : state) benchmark::DoNotOptimize(hone_ref_o2::dot_f64(a, b, n64));
    });
    add_row("dot_f64/" + size + "/ref_o3_native", 2 * bytes, [=](benchmark::State& state) {
      const double* a = shared_array<double>(bytes, 0);
      const double* b = shared_array<double>(bytes, 1);
      for (auto _ : state) benchmark::DoNotOptimize(hone_ref_o3::dot_f64(a, b, n64));
    });
    for (const Variant& v : hone_variants) {
      add_row("dot_f64/" + size + "/" + v.name, 2 * bytes, [=](benchmark::State& state) {
        const double* a = shared_array<double>(bytes, 0);
        const double* b = shared_array<double>(bytes, 1);
        for (auto _ : state) benchmark::DoNotOptimize(v.kernels->dot_f64(a, b, n64));
      });
    }

    // sum_i32
    add_row("sum_i32/" + size + "/ref_o2", bytes, [=](benchmark::State& state) {
      const auto* a = shared_array<std::int32_t>(bytes, 0);
      for (auto _ : state) benchmark::DoNotOptimize(hone_ref_o2::sum_i32(a, n32));
    });
    add_row("sum_i32/" + size + "/ref_o3_native", bytes, [=](benchmark::State& state) {
      const auto* a = shared_array<std::int32_t>(bytes, 0);
      for (auto _ : state) benchmark::DoNotOptimize(hone_ref_o3::sum_i32(a, n32));
    });
    for (const Variant& v : hone_variants) {
      add_row("sum_i32/" + size + "/" + v.name, bytes, [=](benchmark::State& state) {
        const auto* a = shared_array<std::int32_t>(bytes, 0);
        for (auto _ : state) benchmark::DoNotOptimize(v.kernels->sum_i32(a, n32));
      });
    }

    // add_f32 (out = a + b: two reads, one write) and saxpy_f32 (y = alpha x + y)
    add_row("add_f32/" + size + "/ref_o2", 3 * bytes, [=](benchmark::State& state) {
      const float* a = shared_array<float>(bytes, 0);
      const float* b = shared_array<float>(bytes, 1);
      float* out = shared_array<float>(bytes, 2);
      for (auto _ : state) {
        hone_ref_o2::add_f32(a, b, out, n32);
        benchmark::ClobberMemory();
      }
    });
    add_row("add_f32/" + size + "/ref_o3_native", 3 * bytes, [=](benchmark::State& state) {
      const float* a = shared_array<float>(bytes, 0);
      const float* b = shared_array<float>(bytes, 1);
      float* out = shared_array<float>(bytes, 2);
      for (auto _ : state) {
        hone_ref_o3::add_f32(a, b, out, n32);
        benchmark::ClobberMemory();
      }
    });
    for (const Variant& v : hone_variants) {
      add_row("add_f32/" + size + "/" + v.name, 3 * bytes, [=](benchmark::State& state) {
        const float* a = shared_array<float>(bytes, 0);
        const float* b = shared_array<float>(bytes, 1);
        float* out = shared_array<float>(bytes, 2);
        for (auto _ : state) {
          v.kernels->add_f32(a, b, out, n32);
          benchmark::ClobberMemory();
        }
      });
    }
    // saxpy keeps y bounded by alternating alpha's sign.
    add_row("saxpy_f32/" + size + "/ref_o2", 3 * bytes, [=](benchmark::State& state) {
      const float* x = shared_array<float>(bytes, 0);
      float* y = shared_array<float>(bytes, 3);
      float alpha = 0.5f;
      for (auto _ : state) {
        hone_ref_o2::saxpy_f32(alpha, x, y, n32);
        alpha = -alpha;
        benchmark::ClobberMemory();
      }
    });
    add_row("saxpy_f32/" + size + "/ref_o3_native", 3 * bytes, [=](benchmark::State& state) {
      const float* x = shared_array<float>(bytes, 0);
      float* y = shared_array<float>(bytes, 3);
      float alpha = 0.5f;
      for (auto _ : state) {
        hone_ref_o3::saxpy_f32(alpha, x, y, n32);
        alpha = -alpha;
        benchmark::ClobberMemory();
      }
    });
    for (const Variant& v : hone_variants) {
      add_row("saxpy_f32/" + size + "/" + v.name, 3 * bytes, [=](benchmark::State& state) {
        const float* x = shared_array<float>(bytes, 0);
        float* y = shared_array<float>(bytes, 3);
        float alpha = 0.5f;
        for (auto _ : state) {
          v.kernels->saxpy_f32(alpha, x, y, n32);
          alpha = -alpha;
          benchmark::ClobberMemory();
        }
      });
    }

    // min with index
    add_row("min_f32/" + size + "/ref_o2", bytes, [=](benchmark::State& state) {
      const float* a = shared_array<float>(bytes, 0);
      for (auto _ : state) benchmark::DoNotOptimize(hone_ref_o2::min_index_f32(a, n32));
    });
    add_row("min_f32/" + size + "/ref_o3_native", bytes, [=](benchmark::State& state) {
      const float* a = shared_array<float>(bytes, 0);
      for (auto _ : state) benchmark::DoNotOptimize(hone_ref_o3::min_index_f32(a, n32));
    });
    for (const Variant& v : hone_variants) {
      add_row("min_f32/" + size + "/" + v.name, bytes, [=](benchmark::State& state) {
        const float* a = shared_array<float>(bytes, 0);
        for (auto _ : state) benchmark::DoNotOptimize(v.kernels->min_f32(a, n32));
      });
    }

    // prefix sum (read + write)
    add_row("prefix_sum_f32/" + size + "/ref_o2", 2 * bytes, [=](benchmark::State& state) {
      const float* a = shared_array<float>(bytes, 0);
      float* out = shared_array<float>(bytes, 2);
      for (auto _ : state) {
        hone_ref_o2::prefix_sum_f32(a, out, n32);
        benchmark::ClobberMemory();
      }
    });
    add_row("prefix_sum_f32/" + size + "/ref_o3_native", 2 * bytes, [=](benchmark::State& state) {
      const float* a = shared_array<float>(bytes, 0);
      float* out = shared_array<float>(bytes, 2);
      for (auto _ : state) {
        hone_ref_o3::prefix_sum_f32(a, out, n32);
        benchmark::ClobberMemory();
      }
    });
    for (const Variant& v : hone_variants) {
      add_row("prefix_sum_f32/" + size + "/" + v.name, 2 * bytes, [=](benchmark::State& state) {
        const float* a = shared_array<float>(bytes, 0);
        float* out = shared_array<float>(bytes, 2);
        for (auto _ : state) {
          v.kernels->prefix_sum_f32(a, out, n32);
          benchmark::ClobberMemory();
        }
      });
    }

    // fma (three reads, one write), scale (one read, one write)
    add_row("fma_f32/" + size + "/ref_o2", 4 * bytes, [=](benchmark::State& state) {
      const float* a = shared_array<float>(bytes, 0);
      const float* b = shared_array<float>(bytes, 1);
      const float* c = shared_array<float>(bytes, 3);
      float* out = shared_array<float>(bytes, 2);
      for (auto _ : state) {
        hone_ref_o2::fma_f32(a, b, c, out, n32);
        benchmark::ClobberMemory();
      }
    });
    add_row("fma_f32/" + size + "/ref_o3_native", 4 * bytes, [=](benchmark::State& state) {
      const float* a = shared_array<float>(bytes, 0);
      const float* b = shared_array<float>(bytes, 1);
      const float* c = shared_array<float>(bytes, 3);
      float* out = shared_array<float>(bytes, 2);
      for (auto _ : state) {
        hone_ref_o3::fma_f32(a, b, c, out, n32);
        benchmark::ClobberMemory();
      }
    });
    for (const Variant& v : hone_variants) {
      add_row("fma_f32/" + size + "/" + v.name, 4 * bytes, [=](benchmark::State& state) {
        const float* a = shared_array<float>(bytes, 0);
        const float* b = shared_array<float>(bytes, 1);
        const float* c = shared_array<float>(bytes, 3);
        float* out = shared_array<float>(bytes, 2);
        for (auto _ : state) {
          v.kernels->fma_f32(a, b, c, out, n32);
          benchmark::ClobberMemory();
        }
      });
    }
    add_row("scale_f32/" + size + "/ref_o2", 2 * bytes, [=](benchmark::State& state) {
      const float* a = shared_array<float>(bytes, 0);
      float* out = shared_array<float>(bytes, 2);
      for (auto _ : state) {
        hone_ref_o2::scale_f32(a, 1.5f, out, n32);
        benchmark::ClobberMemory();
      }
    });
    add_row("scale_f32/" + size + "/ref_o3_native", 2 * bytes, [=](benchmark::State& state) {
      const float* a = shared_array<float>(bytes, 0);
      float* out = shared_array<float>(bytes, 2);
      for (auto _ : state) {
        hone_ref_o3::scale_f32(a, 1.5f, out, n32);
        benchmark::ClobberMemory();
      }
    });
    for (const Variant& v : hone_variants) {
      add_row("scale_f32/" + size + "/" + v.name, 2 * bytes, [=](benchmark::State& state) {
        const float* a = shared_array<float>(bytes, 0);
        float* out = shared_array<float>(bytes, 2);
        for (auto _ : state) {
          v.kernels->scale_f32(a, 1.5f, out, n32);
          benchmark::ClobberMemory();
        }
      });
    }

    // find a byte that does not occur (values are 0..99): a full scan
    add_row("find_u8/" + size + "/ref_o2", bytes, [=](benchmark::State& state) {
      const auto* a = shared_array<std::uint8_t>(bytes, 0);
      for (auto _ : state) benchmark::DoNotOptimize(hone_ref_o2::find_u8(a, n8, 200));
    });
    add_row("find_u8/" + size + "/ref_o3_native", bytes, [=](benchmark::State& state) {
      const auto* a = shared_array<std::uint8_t>(bytes, 0);
      for (auto _ : state) benchmark::DoNotOptimize(hone_ref_o3::find_u8(a, n8, 200));
    });
    for (const Variant& v : hone_variants) {
      add_row("find_u8/" + size + "/" + v.name, bytes, [=](benchmark::State& state) {
        const auto* a = shared_array<std::uint8_t>(bytes, 0);
        for (auto _ : state) benchmark::DoNotOptimize(v.kernels->find_u8(a, n8, 200));
      });
    }

    // count of one byte value
    add_row("count_u8/" + size + "/ref_o2", bytes, [=](benchmark::State& state) {
      const auto* a = shared_array<std::uint8_t>(bytes, 0);
      for (auto _ : state) benchmark::DoNotOptimize(hone_ref_o2::count_u8(a, n8, 42));
    });
    add_row("count_u8/" + size + "/ref_o3_native", bytes, [=](benchmark::State& state) {
      const auto* a = shared_array<std::uint8_t>(bytes, 0);
      for (auto _ : state) benchmark::DoNotOptimize(hone_ref_o3::count_u8(a, n8, 42));
    });
    for (const Variant& v : hone_variants) {
      add_row("count_u8/" + size + "/" + v.name, bytes, [=](benchmark::State& state) {
        const auto* a = shared_array<std::uint8_t>(bytes, 0);
        for (auto _ : state) benchmark::DoNotOptimize(v.kernels->count_u8(a, n8, 42));
      });
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 2;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
