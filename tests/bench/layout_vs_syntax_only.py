#!/usr/bin/env python3
"""What `hone layout` costs over a compilation database, against `clang-19 -fsyntax-only` of the same TUs.

`hone layout` parses every TU with Clang's front end and walks the AST, so its floor is a syntax-only
parse of the same TUs; the target (issue 4) is at most 1.15x that. This script times both side by
side on a real compilation database:

  1. the database: --build DIR (default: hone's own build-layout folder); --max-tus N keeps N files
     evenly spread over the sorted list, for a quicker run that still mixes light and heavy TUs;
  2. ROUNDS interleaved rounds (the order alternates each round, so machine noise hits both alike) of
       layout:   hone layout -p BUILD -j N --format json FILES...   (must exit 0)
       baseline: every database command with the compiler swapped for clang 19, -c/-o dropped and
                 -fsyntax-only -w added (hone layout also parses with -w), N at a time;
  3. the median wall time of each and the ratio layout / baseline, and the same for CPU time (user +
     system of the child processes), which a loaded machine disturbs much less than wall time.

usage: layout_vs_syntax_only.py [--hone PATH] [--build DIR] [-j N] [--rounds R] [--max-tus N]
"""
import argparse
import concurrent.futures
import json
import os
import statistics
import subprocess
import time

from bench_support import REPO, children_cpu_seconds, clang19_command, fail


def syntax_only_command(entry):
    """The entry's own flags with clang 19, no output, syntax only."""
    args, directory = clang19_command(entry, drop_with_value=("-o", "-MF", "-MT", "-MQ"), drop=("-c", "-MD", "-MMD"))
    return args + ["-fsyntax-only", "-w"], directory


def run_baseline(commands, jobs):
    def one(command):
        args, directory = command
        result = subprocess.run(args, cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        return result.returncode, args, result.stderr

    start, cpu = time.monotonic(), children_cpu_seconds()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for code, args, stderr in pool.map(one, commands):
            if code != 0:
                fail(f"baseline TU failed ({' '.join(args)}):\n{stderr}")
    return time.monotonic() - start, children_cpu_seconds() - cpu


def run_layout(hone, build, files, jobs):
    start, cpu = time.monotonic(), children_cpu_seconds()
    result = subprocess.run([hone, "layout", "-p", build, "-j", str(jobs), "--format", "json"] + files,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed, cpu = time.monotonic() - start, children_cpu_seconds() - cpu
    if result.returncode != 0:
        fail(f"hone layout exited {result.returncode}:\n{result.stderr}")
    report = json.loads(result.stdout)
    return elapsed, cpu, len(report["findings"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hone", default=os.path.join(REPO, "build-layout", "bin", "hone"))
    parser.add_argument("--build", default=os.path.join(REPO, "build-layout"))
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-tus", type=int, default=0)
    options = parser.parse_args()

    database_path = os.path.join(options.build, "compile_commands.json")
    if not os.path.exists(database_path):
        fail(f"no compile_commands.json in {options.build} (configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)")
    if not os.access(options.hone, os.X_OK):
        fail(f"{options.hone} is not an executable hone (build the hone and hone-analyze targets)")
    entries = {}
    with open(database_path) as stream:
        for entry in json.load(stream):
            path = os.path.normpath(os.path.join(entry.get("directory", "."), entry["file"]))
            entries.setdefault(path, entry)  # hone layout analyzes each file once, with its first command
    files = sorted(entries)
    if options.max_tus and options.max_tus < len(files):
        step = len(files) / options.max_tus
        files = [files[int(i * step)] for i in range(options.max_tus)]
    commands = [syntax_only_command(entries[path]) for path in files]

    print(f"{len(files)} TUs from {database_path}, -j {options.jobs}, {options.rounds} interleaved rounds", flush=True)
    layout_times, baseline_times, layout_cpu, baseline_cpu = [], [], [], []
    findings = 0
    for round_index in range(options.rounds):
        order = ("layout", "baseline") if round_index % 2 == 0 else ("baseline", "layout")
        for which in order:
            if which == "layout":
                elapsed, cpu, findings = run_layout(options.hone, options.build, files, options.jobs)
                layout_times.append(elapsed)
                layout_cpu.append(cpu)
            else:
                elapsed, cpu = run_baseline(commands, options.jobs)
                baseline_times.append(elapsed)
                baseline_cpu.append(cpu)
        print(f"round {round_index + 1}: layout {layout_times[-1]:.2f} s wall {layout_cpu[-1]:.2f} s cpu, "
              f"syntax-only {baseline_times[-1]:.2f} s wall {baseline_cpu[-1]:.2f} s cpu", flush=True)
    layout_median, baseline_median = statistics.median(layout_times), statistics.median(baseline_times)
    layout_cpu_median, baseline_cpu_median = statistics.median(layout_cpu), statistics.median(baseline_cpu)
    print(f"hone layout   median {layout_median:.2f} s wall, {layout_cpu_median:.2f} s cpu ({findings} findings)")
    print(f"-fsyntax-only median {baseline_median:.2f} s wall, {baseline_cpu_median:.2f} s cpu")
    print(f"ratio layout / syntax-only: wall {layout_median / baseline_median:.3f}x, "
          f"cpu {layout_cpu_median / baseline_cpu_median:.3f}x (target <= 1.15x)")


if __name__ == "__main__":
    main()
