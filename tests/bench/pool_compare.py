#!/usr/bin/env python3
"""Side-by-side table of the pool benchmarks across allocators, for docs/runtime.md.

Runs hone_bench_pool (glibc), hone_bench_pool_mimalloc and hone_bench_pool_jemalloc from BIN_DIR,
interleaved ROUNDS times (so machine noise hits every allocator alike), takes each row's median and
prints objects per second with the ratio to glibc new/delete and to mimalloc new/delete of the same
pattern.

usage: pool_compare.py BIN_DIR [ROUNDS] [extra benchmark args...]
"""
import os
import statistics
import sys

from bench_support import benchmark_rows

EXECUTABLES = [("glibc", "hone_bench_pool"), ("mimalloc", "hone_bench_pool_mimalloc"),
               ("jemalloc", "hone_bench_pool_jemalloc")]


def main(argv):
    if not argv:
        sys.exit(__doc__)
    bin_dir = argv[0]
    rounds = int(argv[1]) if len(argv) > 1 else 3
    extra = argv[2:] or ["--benchmark_min_time=0.2"]
    samples = {}
    for _ in range(rounds):
        for allocator, exe in EXECUTABLES:
            path = os.path.join(bin_dir, exe)
            if not os.path.exists(path):
                continue
            for row in benchmark_rows([path, *extra]):
                name = row["name"].replace("/real_time", "")
                pattern, variant = name.split("/", 1)
                if variant in ("new_delete",) or allocator == "glibc":
                    key = (pattern, allocator if variant == "new_delete" else variant)
                    samples.setdefault(key, []).append(row["items_per_second"])
    rate = {key: statistics.median(v) for key, v in samples.items()}
    print("| pattern | allocator | objects/s (millions) | vs glibc new/delete | vs mimalloc new/delete |")
    print("|---|---|---:|---:|---:|")
    for (pattern, who), value in sorted(rate.items(), key=lambda kv: (kv[0][0], -kv[1])):
        glibc = rate.get((pattern, "glibc"))
        mi = rate.get((pattern, "mimalloc"))
        label = who + (" new/delete" if who in ("glibc", "mimalloc", "jemalloc") else "")
        print(f"| {pattern} | {label} | {value / 1e6:.1f} | "
              f"{value / glibc:.2f}x | {value / mi:.2f}x |" if glibc and mi else
              f"| {pattern} | {label} | {value / 1e6:.1f} | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
