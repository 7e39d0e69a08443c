#!/usr/bin/env python3
"""What `hone vec` costs over a compilation database, against a plain `clang -O2 -c` of the same TUs.

`hone vec` compiles every TU once more with optimization records and reads them back, so its floor is
the project's own -O2 compile; the target (issue 5) is at most 1.3x that. This script times both side
by side on a real project:

  1. the compilation database: --build DIR (an existing build folder with compile_commands.json), or
     a CMake project configured here (--source DIR; default /usr/src/googletest, a real project not
     written for hone) with clang 19, -O2 and CMAKE_EXPORT_COMPILE_COMMANDS=ON;
  2. ROUNDS interleaved rounds (the order alternates each round, so machine noise hits both alike) of
       vec:      hone vec -p BUILD -j N --format json       (exit 0 or 1 = ran; findings are exit 1)
       baseline: every database command, compiler swapped for clang 19, -O2 added when the command
                 has no -O level, output to a scratch .o, N at a time;
  3. the median wall time of each and the ratio vec / baseline, and the same for CPU time (user +
     system of all child processes, from getrusage): on a shared, loaded machine the wall times swing
     with the other load, the CPU times much less.

usage: vec_vs_o2.py [--hone PATH] [--build DIR | --source DIR] [-j N] [--rounds R] [--try-fixes] [--report FILE]
                    [--baseline-only]
"""
import argparse
import concurrent.futures
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from bench_support import LLVM_BIN, REPO, children_cpu_seconds, clang19_command, fail


def configure(source, build):
    """Configures `source` with clang 19 at -O2 and returns its build folder."""
    command = ["cmake", "-S", source, "-B", build, "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON",
               "-DCMAKE_BUILD_TYPE=Release", "-DCMAKE_C_FLAGS_RELEASE=-O2 -DNDEBUG",
               "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG",
               f"-DCMAKE_C_COMPILER={LLVM_BIN}/clang", f"-DCMAKE_CXX_COMPILER={LLVM_BIN}/clang++"]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        fail(f"could not configure {source}:\n{result.stdout}")
    return build


def baseline_command(entry, scratch, index):
    """The entry's own compile with clang 19, -O2 if it names no level, and a scratch output."""
    out, directory = clang19_command(entry, drop_with_value=("-o",), drop=())
    if not any(a.startswith("-O") for a in out):
        out.append("-O2")
    if "-c" not in out:
        out.append("-c")
    out += ["-o", os.path.join(scratch, f"tu{index}.o")]
    return out, directory


def run_baseline(entries, jobs, scratch):
    def compile_one(item):
        index, entry = item
        command, directory = baseline_command(entry, scratch, index)
        result = subprocess.run(command, cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True)
        if result.returncode != 0:
            fail(f"baseline compile of {entry['file']} failed:\n{shlex.join(command)}\n{result.stderr}")

    start, cpu = time.monotonic(), children_cpu_seconds()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(compile_one, enumerate(entries)))
    return time.monotonic() - start, children_cpu_seconds() - cpu


def run_vec(hone, build, jobs, try_fixes=False, report=None):
    command = [hone, "vec", "-p", build, "-j", str(jobs), "--format", "json"] + (["--try-fixes"] if try_fixes else [])
    start, cpu = time.monotonic(), children_cpu_seconds()
    with open(report or os.devnull, "w") as out:
        result = subprocess.run(command, stdout=out, stderr=subprocess.PIPE, text=True)
    elapsed = time.monotonic() - start, children_cpu_seconds() - cpu
    if result.returncode not in (0, 1):
        fail(f"`{shlex.join(command)}` exited {result.returncode}:\n{result.stderr}")
    return elapsed


def find_hone(explicit):
    if explicit:
        return explicit
    for folder in sorted(os.listdir(REPO)):
        candidate = os.path.join(REPO, folder, "bin", "hone")
        if folder.startswith("build") and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("hone")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hone", help="the hone executable (default: the first build*/bin/hone of this repo)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--build", help="a build folder holding compile_commands.json")
    where.add_argument("--source", default="/usr/src/googletest", help="a CMake project to configure here")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--report", help="keep the last round's JSON report of hone vec in this file")
    parser.add_argument("--try-fixes", action="store_true",
                        help="time `hone vec --try-fixes` (each fix checked with one more compile of its TU)")
    parser.add_argument("--baseline-only", action="store_true",
                        help="time only the plain compile (checks the project and the script)")
    options = parser.parse_args()
    if options.jobs < 1 or options.rounds < 1:
        fail("-j and --rounds must be at least 1")

    with tempfile.TemporaryDirectory(prefix="hone-vec-vs-o2-") as scratch:
        build = options.build or configure(options.source, os.path.join(scratch, "build"))
        database = os.path.join(build, "compile_commands.json")
        if not os.path.exists(database):
            fail(f"{database} does not exist: configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON")
        with open(database) as f:
            entries = json.load(f)
        if not entries:
            fail(f"{database} lists no translation unit")
        hone = None if options.baseline_only else find_hone(options.hone)
        if not options.baseline_only and not hone:
            fail("no hone executable found: build it (cmake --build BUILD --target hone hone-analyze) or pass --hone")
        objects = os.path.join(scratch, "objects")
        os.makedirs(objects, exist_ok=True)

        times = {"vec": [], "baseline": []}  # (wall, cpu) seconds per round
        for round_index in range(options.rounds):
            order = ["baseline", "vec"] if round_index % 2 == 0 else ["vec", "baseline"]
            for who in order:
                if who == "vec" and options.baseline_only:
                    continue
                if who == "vec":
                    times[who].append(run_vec(hone, build, options.jobs, options.try_fixes, options.report))
                else:
                    times[who].append(run_baseline(entries, options.jobs, objects))
                wall, cpu = times[who][-1]
                print(f"round {round_index + 1}: {who} {wall:.2f} s wall, {cpu:.2f} s CPU", file=sys.stderr)

    def summary(who, label):
        wall = [t[0] for t in times[who]]
        cpu = [t[1] for t in times[who]]
        print(f"{label}: median {statistics.median(wall):.2f} s wall [{', '.join(f'{t:.2f}' for t in wall)}], "
              f"{statistics.median(cpu):.2f} s CPU [{', '.join(f'{t:.2f}' for t in cpu)}]")
        return statistics.median(wall), statistics.median(cpu)

    print(f"project: {options.build or options.source} ({len(entries)} TUs), -j {options.jobs}, "
          f"{options.rounds} interleaved rounds")
    base_wall, base_cpu = summary("baseline", "baseline (clang-19 -O2 -c of the same TUs)")
    if options.baseline_only:
        return 0
    vec_wall, vec_cpu = summary("vec", f"hone vec -p BUILD -j {options.jobs}")
    print(f"ratio vec / baseline: {vec_wall / base_wall:.2f}x wall, {vec_cpu / base_cpu:.2f}x CPU "
          f"(target <= {'5.00x with --try-fixes' if options.try_fixes else '1.30x'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
