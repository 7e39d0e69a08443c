#!/usr/bin/env python3
"""How long a large `hone report` page takes to open in a real browser, and how large it is.

Issue 17's target: a report with 5,000 findings loads in under 1 s. This script makes such a report from
real runs, not from made-up JSON:

  1. writes a C file with N loops (a quarter each: a float reduction, a gather through possibly aliasing
     pointers, a sqrt call, a loop over __restrict pointers that vectorizes) and a C++ file with N structs
     with padding, and runs `hone vec --all --format json` and `hone layout --format json` on them;
  2. writes three pages with `hone report`: vec only, layout only, and both;
  3. loads each page ROUNDS times in headless Chromium (tests/lit/report/Inputs/browser_check.py, a
     fresh browser per load), interleaved with a baseline page (the report of a 4-loop file, so the
     browser's fixed cost per page is known), and prints per page: size, the median of loadEventEnd
     (navigation start to the end of the load event: HTML parsed, styles, the script run) and of the
     first frame drawn after it, and their ratio to the baseline's.

Times are wall-clock in a browser and depend on the machine's load; say what else ran when quoting them.

usage: report_load.py [--hone PATH] [--findings N] [--rounds R] [--keep DIR]
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

from bench_support import REPO, fail

CHECKER = os.path.join(REPO, "tests", "lit", "report", "Inputs", "browser_check.py")
FRAME_AFTER_LOAD = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"

LOOP_KINDS = [
    "float sum{i}(const float* a, int n) {{\n  float s = 0;\n  for (int i = 0; i < n; ++i)\n    s += a[i];\n"
    "  return s;\n}}\n",
    "void gather{i}(float* out, const float* t, const int* x, int n) {{\n  for (int i = 0; i < n; ++i)\n"
    "    out[i] = t[x[i]];\n}}\n",
    "void roots{i}(double* a, int n) {{\n  for (int i = 0; i < n; ++i)\n    a[i] = sqrt(a[i]);\n}}\n",
    "void scale{i}(float* __restrict a, int n) {{\n  for (int i = 0; i < n; ++i)\n    a[i] *= 2.0f;\n}}\n",
]


def write_sources(folder, count):
    loops = os.path.join(folder, "loops.c")
    with open(loops, "w") as out:
        out.write("#include <math.h>\n")
        for i in range(count):
            out.write(LOOP_KINDS[i % 4].format(i=i))
    records = os.path.join(folder, "records.cpp")
    with open(records, "w") as out:
        for i in range(count):
            # Padding that a reorder removes; sizes vary so the drawings have 1 to 3 cache lines.
            out.write(f"struct Record{i} {{ char a; double b; char c; int d[{i % 24}]; char e; long f; }};\n")
            out.write(f"Record{i} record{i};\n")
    small = os.path.join(folder, "small.c")
    with open(small, "w") as out:
        out.write("#include <math.h>\n")
        for i in range(4):
            out.write(LOOP_KINDS[i].format(i=i))
    return loops, records, small


def run(command, output=None):
    with open(output, "w") if output else open(os.devnull, "w") as out:
        result = subprocess.run(command, stdout=out, stderr=subprocess.PIPE, text=True)
    if result.returncode not in (0, 1):
        fail(f"{' '.join(command)} exited {result.returncode}: {result.stderr.strip()}")


def load_once(page):
    result = subprocess.run([sys.executable, CHECKER, page, "--settle-ms", "0", "--eval", FRAME_AFTER_LOAD],
                            capture_output=True, text=True)
    if result.returncode == 77:
        fail("chromium is not installed (scripts/setup installs it)")
    load = re.search(r"^load_ms ([0-9.]+)", result.stdout, re.M)
    frame = re.search(r"=> ([0-9.]+)$", result.stdout, re.M)
    errors = re.search(r"^errors (\d+)", result.stdout, re.M)
    if not (load and frame and errors) or errors.group(1) != "0":
        fail(f"{page}: the page did not load cleanly:\n{result.stdout}{result.stderr}")
    return float(load.group(1)), float(frame.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hone", default=os.path.join(REPO, "build", "dev", "bin", "hone"))
    parser.add_argument("--findings", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", help="write the sources and pages here instead of a temporary folder")
    args = parser.parse_args()
    if not os.access(args.hone, os.X_OK):
        fail(f"no hone at {args.hone} (build it, or pass --hone)")
    folder = args.keep or tempfile.mkdtemp(prefix="hone-report-load-")
    os.makedirs(folder, exist_ok=True)
    try:
        loops, records, small = write_sources(folder, args.findings)
        vec_json, layout_json, small_json = (os.path.join(folder, n) for n in ("vec.json", "layout.json", "small.json"))
        run([args.hone, "vec", "--all", "--format", "json", loops, "--", "-O2", "-mavx2"], vec_json)
        run([args.hone, "layout", "--format", "json", records, "--", "-std=c++20"], layout_json)
        run([args.hone, "vec", "--all", "--format", "json", small, "--", "-O2", "-mavx2"], small_json)
        pages = {
            "baseline (4 loops)": ["--vec", small_json],
            f"vec ({args.findings} loops)": ["--vec", vec_json],
            f"layout ({args.findings} records)": ["--layout", layout_json],
            "vec + layout": ["--vec", vec_json, "--layout", layout_json],
        }
        paths = {}
        for index, (name, inputs) in enumerate(pages.items()):
            paths[name] = os.path.join(folder, f"page{index}.html")
            run([args.hone, "report", *inputs, "-o", paths[name]])
        times = {name: ([], []) for name in pages}
        for round_index in range(args.rounds):
            order = list(pages) if round_index % 2 == 0 else list(reversed(pages))
            for name in order:
                load, frame = load_once(paths[name])
                times[name][0].append(load)
                times[name][1].append(frame)
        base_load = statistics.median(times["baseline (4 loops)"][0])
        base_frame = statistics.median(times["baseline (4 loops)"][1])
        print(f"{args.rounds} interleaved rounds, a fresh headless Chromium per load; medians")
        print(f"{'page':<22} {'size':>9} {'load':>9} {'x base':>7} {'1st frame':>10} {'x base':>7}")
        for name in pages:
            load = statistics.median(times[name][0])
            frame = statistics.median(times[name][1])
            size = os.path.getsize(paths[name]) / 1024
            print(f"{name:<22} {size:>7.0f} KB {load:>6.0f} ms {load / base_load:>6.1f}x {frame:>7.0f} ms "
                  f"{frame / base_frame:>6.1f}x")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
