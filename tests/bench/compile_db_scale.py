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

With --sources K every compile names K new source files (`cc -c a.c b.c ...`, K entries per call), the
case of a call with many sources.

With --baseline OTHER_HONE the same rounds also run with OTHER_HONE, side by side: each on its own copy
of the database, the two alternating round by round (which goes first alternates too), so that both see
the same machine load. It then prints, besides each one's figures, the ratio of the median CPU times
(hone / baseline) and the spread of the per-round ratios (minimum, quartiles, maximum).

Usage: tests/bench/compile_db_scale.py [--hone build/bin/hone] [--baseline OTHER_HONE] [--entries 50000]
                                       [--rounds 20] [--sources K] [--parallel P] [--max-rss-mb MB]
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


def call(directory, index, sources):
    """A compile call adding `sources` new entries: entry `index`'s arguments, or with several sources
    its flags up to the dependency options followed by `-c` and the sources (gcc and clang refuse -o
    with -c and several sources)."""
    arguments = entry(directory, index)["arguments"]
    if sources == 1:
        return arguments
    flags = arguments[:arguments.index("-MD")]
    return flags + ["-c"] + [f"{directory}/src/call{index}/s{k}.cpp" for k in range(sources)]


def measure(hone, database, directory, env, rounds, start, sources):
    """One compile per call to `next()`: yields (CPU ms, peak RSS MB) of round i."""
    for round_index in range(rounds):
        command = [hone, "/bin/true"] + call(directory, start + round_index, sources)[1:]
        yield run_once(command, dict(env, HONE_COMPILE_DB=database), directory)


def quartiles(values):
    values = sorted(values)
    pick = lambda q: values[min(len(values) - 1, int(q * (len(values) - 1) + 0.5))]
    return values[0], pick(0.25), pick(0.5), pick(0.75), values[-1]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hone", default=os.path.join(here, "..", "..", "build", "bin", "hone"))
    parser.add_argument("--baseline", help="another hone to run side by side with --hone")
    parser.add_argument("--entries", type=int, default=50000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--sources", type=int, default=1, help="source files per compile call (default 1)")
    parser.add_argument("--work", help="folder to use (default: a new temporary folder, removed at the end)")
    parser.add_argument("--max-rss-mb", type=float, help="exit 1 when the median peak RSS is above this (for tests)")
    parser.add_argument("--parallel", type=int, default=0,
                        help="also run ROUNDS*PARALLEL compiles PARALLEL at a time and report CPU per compile")
    args = parser.parse_args()
    hones = [os.path.abspath(args.hone)] + ([os.path.abspath(args.baseline)] if args.baseline else [])
    for hone in hones:
        if not os.access(hone, os.X_OK):
            sys.exit(f"compile_db_scale: error: {hone} is not built; pass --hone or --baseline")
    if args.sources < 1:
        sys.exit("compile_db_scale: error: --sources needs at least 1")

    work = args.work or tempfile.mkdtemp(prefix="hone-dbscale-")
    os.makedirs(work, exist_ok=True)
    try:
        directory = os.path.join(work, "project")
        databases = [os.path.join(work, f"compile_commands{i or ''}.json") for i in range(len(hones))]
        with open(databases[0], "w") as f:
            json.dump([entry(directory, i) for i in range(args.entries)], f, indent=2)
        for copy in databases[1:]:
            shutil.copyfile(databases[0], copy)
        size_mb = os.path.getsize(databases[0]) / 1e6
        env = {k: v for k, v in os.environ.items() if not k.startswith("HONE_")}
        os.makedirs(directory, exist_ok=True)
        # The first two rounds warm the page cache and convert the file's format: not counted.
        runs = [measure(hone, database, directory, env, args.rounds + 2, args.entries, args.sources)
                for hone, database in zip(hones, databases)]
        cpu = [[] for _ in hones]
        rss = [[] for _ in hones]
        for round_index in range(args.rounds + 2):
            order = range(len(hones)) if round_index % 2 == 0 else reversed(range(len(hones)))
            for which in order:
                seconds, megabytes = next(runs[which])
                if round_index >= 2:
                    cpu[which].append(seconds * 1000)
                    rss[which].append(megabytes)
        parallel_line = ""
        if args.parallel > 0:
            count = args.rounds * args.parallel
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(args.parallel) as pool:
                penv = dict(env, HONE_COMPILE_DB=databases[0])
                commands = [[hones[0], "/bin/true"] +
                            call(directory, args.entries + args.rounds + 2 + i, args.sources)[1:]
                            for i in range(count)]
                list(pool.map(lambda command: subprocess.run(command, env=penv, cwd=directory, check=True), commands))
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu_ms = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000 / count
            parallel_line = (f"  {count} compiles {args.parallel} at a time: {cpu_ms:.2f} ms CPU per compile, "
                             f"{wall * 1000 / count:.2f} ms wall per compile")
        for which, (hone, database) in enumerate(zip(hones, databases)):
            with open(database) as f:
                final = json.load(f)
            calls = args.rounds + 2 + (args.rounds * args.parallel if args.parallel > 0 and which == 0 else 0)
            expected = args.entries + calls * args.sources
            if len(final) != expected:
                sys.exit(f"compile_db_scale: error: {hone}'s database has {len(final)} entries, expected {expected}")
        for which, hone in enumerate(hones):
            label = "baseline " if which > 0 else ""
            print(f"{label}{hone}: {args.entries} entries ({size_mb:.1f} MB), {args.rounds} compiles adding "
                  f"{args.sources} new {'entry' if args.sources == 1 else 'entries'} each")
            print(f"  CPU per compile (user+sys): median {statistics.median(cpu[which]):8.2f} ms, "
                  f"max {max(cpu[which]):8.2f} ms")
            print(f"  peak RSS per compile:       median {statistics.median(rss[which]):8.2f} MB, "
                  f"max {max(rss[which]):8.2f} MB")
            if which == 0 and parallel_line:
                print(parallel_line)
        if len(hones) > 1:
            ratios = [a / b for a, b in zip(cpu[0], cpu[1]) if b > 0]
            low, q1, median, q3, high = quartiles(ratios)
            print(f"  CPU ratio hone/baseline: {statistics.median(cpu[0]) / statistics.median(cpu[1]):.3f} "
                  f"(medians); per round: min {low:.3f}, quartiles {q1:.3f} {median:.3f} {q3:.3f}, max {high:.3f}")
        if args.max_rss_mb is not None and statistics.median(rss[0]) > args.max_rss_mb:
            print(f"compile_db_scale: error: median peak RSS {statistics.median(rss[0]):.1f} MB is above "
                  f"{args.max_rss_mb} MB", file=sys.stderr)
            sys.exit(1)
    finally:
        if not args.work:
            shutil.rmtree(work)


if __name__ == "__main__":
    main()
