#!/usr/bin/env python3
"""Turn a hone_bench_simd run into the tables of docs/runtime.md.

Runs the benchmark (or reads a saved --benchmark_format=json file) and prints, per kernel and size,
every variant's time and bandwidth with its speedup over the strict scalar loop (ref_o2) and over
the compiler's auto-vectorized loop (ref_o3_native); on the "memory" size it also prints the share
of the read bandwidth measured in the same run (read_stream). With repetitions, the median is used.

usage: simd_ratios.py BENCH_BINARY [benchmark args...]   |   simd_ratios.py --json FILE
"""
import json
import statistics
import subprocess
import sys


def load(argv):
    if len(argv) >= 2 and argv[0] == "--json":
        with open(argv[1], encoding="utf-8") as f:
            return json.load(f)
    if not argv:
        sys.exit("usage: simd_ratios.py BENCH_BINARY [args...] | --json FILE")
    out = subprocess.run([argv[0], "--benchmark_format=json", *argv[1:]], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out)


def read_bandwidth(rate, size):
    """The machine's read bandwidth for `size`: the fastest read_stream row of this run."""
    streams = [r for name, r in rate.items() if name.startswith(f"read_stream/{size}/")]
    return max(streams) if streams else None


def main(argv):
    data = load(argv)
    times, rates = {}, {}
    for row in data["benchmarks"]:
        if row.get("run_type") == "aggregate":
            continue
        name = row.get("run_name", row["name"])
        times.setdefault(name, []).append(row["real_time"])
        rates.setdefault(name, []).append(row.get("bytes_per_second", 0.0))
    median = {name: statistics.median(v) for name, v in times.items()}
    rate = {name: statistics.median(v) for name, v in rates.items()}
    variant_order = ["ref_o2", "ref_o3_native", "highway_avx2", "hone_scalar", "hone_sse42",
                     "hone_avx2", "hone_avx512"]
    size_order = ["L1", "memory"]

    def sort_key(name):
        kernel, size, variant = name.split("/", 2)
        rank = variant_order.index(variant) if variant in variant_order else len(variant_order)
        return (kernel, size_order.index(size) if size in size_order else 9, rank)

    names = sorted((n for n in median if not n.startswith("read_stream/")), key=sort_key)
    kernels = []
    for name in names:
        kernel, size, _variant = name.split("/", 2)
        if (kernel, size) not in kernels:
            kernels.append((kernel, size))
    print("| kernel | data | variant | time | GB/s | vs -O2 scalar | vs -O3 -march=native | % of read bandwidth |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for kernel, size in kernels:
        base = median.get(f"{kernel}/{size}/ref_o2")
        auto = median.get(f"{kernel}/{size}/ref_o3_native")
        stream = read_bandwidth(rate, size)
        for name in names:
            k, s, variant = name.split("/", 2)
            if (k, s) != (kernel, size):
                continue
            t = median[name]
            unit = data["benchmarks"][0].get("time_unit", "ns")
            cells = [kernel, size, variant, f"{t:,.0f} {unit}", f"{rate[name] / 1e9:.1f}",
                     f"{base / t:.2f}x" if base else "", f"{auto / t:.2f}x" if auto else "",
                     f"{100 * rate[name] / stream:.0f}%" if stream and size == "memory" else ""]
            print("| " + " | ".join(cells) + " |")
    for size in ("L1", "memory"):
        for name in rate:
            if name.startswith(f"read_stream/{size}/"):
                print(f"\n{name}: {rate[name] / 1e9:.1f} GB/s", end="")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
