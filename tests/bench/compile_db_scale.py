#!/usr/bin/env python3
"""What one compile costs the wrapper's compile-database capture (HONE_COMPILE_DB) as the database grows.

Fills a compile_commands.json with N realistic entries (about 25 arguments each, paths of a deep source
tree), then runs `hone /bin/true <flags> -c src/dirK/fileK.c -o ...` with HONE_COMPILE_DB pointing at it,
ROUNDS times, each a new translation unit (the first build of a large project: every compile adds an
entry). /bin/true stands in for the compiler so that only the wrapper is measured. For each round it
reads the child's CPU time (user + system) and peak resident set size from wait4(); it prints the
medians and the maxima. Run it with --hone pointing at two builds to compare them.

With --parallel P it then runs ROUNDS*P more compiles P at a time (a parallel build) and prints the CPU
time per compile over all of them: the compiles that find their entry merged by another pay only their
fragment.

Usage: tests/bench/compile_db_scale.py [--hone build/bin/hone] [--entries 50000] [--rounds 20] [--parallel P]
                                       [--max-rss-mb MB]
"""
import argparse
import concurrent.futures
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def entry(directory, index):
    folder = f"src/module{index % 97}/part{index % 13}"
    source = f"{folder}/file{index}.cpp"
    arguments = ["/usr/bin/clang++-19", "-DNDEBUG", "-DPROJECT_FEATURE_A=1", "-DPROJECT_FEATURE_B=1",
                 f"-I{directory}/include", f"-I{directory}/src/module{index % 97}", "-isystem",
                 "/usr/include/boost", "-O2", "-g", "-std=gnu++20", "-fPIC", "-Wall", "-Wextra", "-Wpedantic",
                 "-Werror=return-type", "-fno-omit-frame-pointer", "-MD", "-MT", f"{source}.o", "-MF",
                 f"{source}.o.d", "-o", f"{source}.o", "-c", f"{directory}/{source}"]
    return {"directory": directory, "file": f"{directory}/{source}", "output": f"{source}.o",
            "arguments": arguments}


def run_once(command, env, cwd):
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(cwd)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.execve(command[0], command, env)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"compile_db_scale: error: {' '.join(command)} exited with {status}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hone", default=os.path.join(here, "..", "..", "build", "bin", "hone"))
    parser.add_argument("--entries", type=int, default=50000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--work", help="folder to use (default: a new temporary folder, removed at the end)")
    parser.add_argument("--max-rss-mb", type=float, help="exit 1 when the median peak RSS is above this (for tests)")
    parser.add_argument("--parallel", type=int, default=0,
                        help="also run ROUNDS*PARALLEL compiles PARALLEL at a time and report CPU per compile")
    args = parser.parse_args()
    hone = os.path.abspath(args.hone)
    if not os.access(hone, os.X_OK):
        sys.exit(f"compile_db_scale: error: {hone} is not built; pass --hone")

    work = args.work or tempfile.mkdtemp(prefix="hone-dbscale-")
    os.makedirs(work, exist_ok=True)
    try:
        directory = os.path.join(work, "project")
        database = os.path.join(work, "compile_commands.json")
        with open(database, "w") as f:
            json.dump([entry(directory, i) for i in range(args.entries)], f, indent=2)
        size_mb = os.path.getsize(database) / 1e6
        env = {k: v for k, v in os.environ.items() if not k.startswith("HONE_")}
        env["HONE_COMPILE_DB"] = database
        os.makedirs(directory, exist_ok=True)
        cpu, rss = [], []
        for round_index in range(args.rounds + 2):
            new = entry(directory, args.entries + round_index)
            command = [hone, "/bin/true"] + new["arguments"][1:]
            seconds, megabytes = run_once(command, env, directory)
            if round_index >= 2:  # the first two warm the page cache and convert the file's format
                cpu.append(seconds * 1000)
                rss.append(megabytes)
        parallel_line = ""
        if args.parallel > 0:
            count = args.rounds * args.parallel
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(args.parallel) as pool:
                commands = [[hone, "/bin/true"] + entry(directory, args.entries + args.rounds + 2 + i)["arguments"][1:]
                            for i in range(count)]
                list(pool.map(lambda command: subprocess.run(command, env=env, cwd=directory, check=True), commands))
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu_ms = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000 / count
            parallel_line = (f"  {count} compiles {args.parallel} at a time: {cpu_ms:.2f} ms CPU per compile, "
                             f"{wall * 1000 / count:.2f} ms wall per compile")
        with open(database) as f:
            final = json.load(f)
        expected = args.entries + args.rounds + 2 + (args.rounds * args.parallel if args.parallel > 0 else 0)
        if len(final) != expected:
            sys.exit(f"compile_db_scale: error: the database has {len(final)} entries, expected {expected}")
        print(f"{hone}: {args.entries} entries ({size_mb:.1f} MB), {args.rounds} compiles adding a new entry each")
        print(f"  CPU per compile (user+sys): median {statistics.median(cpu):8.2f} ms, max {max(cpu):8.2f} ms")
        print(f"  peak RSS per compile:       median {statistics.median(rss):8.2f} MB, max {max(rss):8.2f} MB")
        if parallel_line:
            print(parallel_line)
        if args.max_rss_mb is not None and statistics.median(rss) > args.max_rss_mb:
            print(f"compile_db_scale: error: median peak RSS {statistics.median(rss):.1f} MB is above "
                  f"{args.max_rss_mb} MB", file=sys.stderr)
            sys.exit(1)
    finally:
        if not args.work:
            shutil.rmtree(work)


if __name__ == "__main__":
    main()
