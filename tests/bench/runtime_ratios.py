#!/usr/bin/env python3
"""Same-process ratios of hone's runtime against the libraries a user would otherwise pick, in ONE run.

Pools: hone_bench_pool (glibc), hone_bench_pool_mimalloc and hone_bench_pool_jemalloc (pool_bench.cpp
linked three times: Debian's mimalloc and jemalloc replace malloc process-wide when linked, so each is
its own executable, and each also runs the hone pools). FixedPool, ObjectPool and Arena are taken from
the glibc executable and divided by `malloc`/`free` (not new/delete) of each allocator, same pattern.

SIMD: hone_bench_simd_ratios (simd_ratios_bench.cpp): hone's kernels against the strict loop, GCC and
clang 19 at -O3 -march=native, clang with -ffast-math, and Highway 1.0.3 built correctly (static AVX2,
static -march=native, dynamic dispatch), at n = 4 and 64 and in L1, L2 and 64 MiB. The Highway and hone
targets actually chosen are printed.

The executables run interleaved, ROUNDS times (default 3), so load hits every variant alike. Each cell
is the median of the per-round ratios with their range [min-max]; a ratio > 1 means hone is faster.
Single-threaded rows use CPU time (the shared machine's waits are not the kernel's); the cross-thread
pool rows use wall time. The load average is printed per round.

usage: runtime_ratios.py BIN_DIR [--rounds N] [--min-time SECONDS] [--filter REGEX]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

POOL_EXES = [("glibc", "hone_bench_pool"), ("mimalloc", "hone_bench_pool_mimalloc"),
             ("jemalloc", "hone_bench_pool_jemalloc")]
SIMD_EXE = "hone_bench_simd_ratios"
POOL_ROWS = {  # pattern -> hone rows taken from the glibc executable
    "pair": ["hone_fixed_pool", "hone_object_pool", "hone_object_pool_handle"],
    "batch": ["hone_fixed_pool", "hone_object_pool"],
    "cross": ["hone_object_pool"],
    "mixed": ["hone_arena"],
}
SIZES = ["n4", "n64", "L1", "L2", "mem"]
SIMD_BASELINES = [("strict", "strict loop"), ("gcc_o3_native", "GCC -O3 native"),
                  ("clang_o3_native", "clang -O3 native"), ("clang_o3_native_fastmath", "clang -O3 native -ffast-math"),
                  ("highway_dynamic", "Highway dynamic")]


def run_json(command):
    out = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out)


def spread(values):
    """'median (min-max)' of a list of ratios."""
    if not values:
        return ""
    if len(values) == 1:
        return f"{values[0]:.2f}x"
    return f"{statistics.median(values):.2f}x ({min(values):.2f}-{max(values):.2f})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bin_dir")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--min-time", default="0.1")
    parser.add_argument("--filter", default="", help="benchmark filter for the SIMD executable")
    args = parser.parse_args()

    pool = {}  # (allocator, row) -> [rate per round]
    simd = {}  # row -> [cpu ns per round]
    context = {}
    loads = []
    for round_number in range(args.rounds):
        loads.append(os.getloadavg()[0])
        for allocator, exe in POOL_EXES:
            path = os.path.join(args.bin_dir, exe)
            if not os.path.exists(path):
                print(f"runtime_ratios: {exe} not built; its rows are left out", file=sys.stderr)
                continue
            data = run_json([path, "--benchmark_format=json", f"--benchmark_min_time={args.min_time}"])
            for row in data["benchmarks"]:
                name = row["name"].replace("/real_time", "")
                pool.setdefault((allocator, name), []).append(row["items_per_second"])
        path = os.path.join(args.bin_dir, SIMD_EXE)
        command = [path, "--benchmark_format=json", f"--benchmark_min_time={args.min_time}"]
        if args.filter:
            command.append(f"--benchmark_filter={args.filter}")
        data = run_json(command)
        context = data["context"]
        for row in data["benchmarks"]:
            name = row["name"].replace("/real_time", "")
            simd.setdefault(name, []).append(row["cpu_time"])
        print(f"round {round_number + 1}/{args.rounds} done (load average {loads[-1]:.1f})", file=sys.stderr)
    loads.append(os.getloadavg()[0])

    print(f"Rounds: {args.rounds}, interleaved; 1-minute load average {min(loads):.1f}-{max(loads):.1f} "
          f"on {os.cpu_count()} CPUs. hone target: {context.get('hone_target')}; Highway targets: "
          f"static AVX2 build -> {context.get('highway_avx2_target')}, static -march=native -> "
          f"{context.get('highway_native_target')}, dynamic -> {context.get('highway_dynamic_target')}.\n")

    def ratio_list(numerator, denominator):
        return [a / b for a, b in zip(numerator, denominator)] if numerator and denominator else []

    print("| pattern | hone | M objects/s | vs glibc malloc | vs mimalloc malloc | vs jemalloc malloc |")
    print("|---|---|---:|---:|---:|---:|")
    for pattern, hone_rows in POOL_ROWS.items():
        for hone_row in hone_rows:
            rates = pool.get(("glibc", f"{pattern}/{hone_row}"))
            if not rates:
                continue
            cells = [spread(ratio_list(rates, pool.get((a, f"{pattern}/malloc"), []))) for a, _ in POOL_EXES]
            print(f"| {pattern} | {hone_row} | {statistics.median(rates) / 1e6:.1f} | " + " | ".join(cells) + " |")
    print("\n| pattern | baseline | M objects/s | new/delete over malloc (same allocator) |")
    print("|---|---|---:|---:|")
    for pattern in POOL_ROWS:
        for allocator, _ in POOL_EXES:
            rates = pool.get((allocator, f"{pattern}/malloc"))
            if not rates:
                continue
            nd = pool.get((allocator, f"{pattern}/new_delete"))
            print(f"| {pattern} | {allocator} malloc | {statistics.median(rates) / 1e6:.1f} | "
                  f"{spread(ratio_list(nd, rates)) if nd else ''} |")

    kernels = sorted({name.split("/")[0] for name in simd})
    headline = [k for k in ["min_f32", "count_u8", "find_u8", "prefix_sum_f32"] if k in kernels]
    reductions = [k for k in ["sum_f32", "dot_f32"] if k in kernels]
    for title, group in (("Kernels compilers do not vectorize", headline), ("sum and dot", reductions)):
        print(f"\n{title}: hone (public API, dispatched) in ns per call, and baseline time / hone time\n")
        print("| kernel | size | hone ns | " + " | ".join(label for _, label in SIMD_BASELINES) + " |")
        print("|---|---|---:|" + "---:|" * len(SIMD_BASELINES))
        for kernel in group:
            for size in SIZES:
                hone = simd.get(f"{kernel}/{size}/hone")
                if not hone:
                    continue
                cells = [spread(ratio_list(simd.get(f"{kernel}/{size}/{variant}", []), hone))
                         for variant, _ in SIMD_BASELINES]
                print(f"| {kernel} | {size} | {statistics.median(hone):,.1f} | " + " | ".join(cells) + " |")
    print("\nSame instruction set, intrinsics against Highway: Highway time / hone time (> 1: hone faster)\n")
    print("| kernel | size | hone avx2 ns | vs Highway static AVX2 | hone avx512 ns | vs Highway static native |")
    print("|---|---|---:|---:|---:|---:|")
    for kernel in ["sum_f32", "dot_f32", "count_u8", "find_u8"]:
        for size in SIZES:
            avx2 = simd.get(f"{kernel}/{size}/hone_avx2")
            avx512 = simd.get(f"{kernel}/{size}/hone_avx512")
            if not avx2:
                continue
            hwy2 = simd.get(f"{kernel}/{size}/highway_avx2", [])
            hwy3 = simd.get(f"{kernel}/{size}/highway_native", [])
            print(f"| {kernel} | {size} | {statistics.median(avx2):,.1f} | {spread(ratio_list(hwy2, avx2))} | "
                  f"{statistics.median(avx512):,.1f} | {spread(ratio_list(hwy3, avx512))} |" if avx512 else
                  f"| {kernel} | {size} | {statistics.median(avx2):,.1f} | {spread(ratio_list(hwy2, avx2))} | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
