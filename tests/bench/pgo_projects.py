#!/usr/bin/env python3
"""`hone pgo` on real open-source projects not written for hone: each PGO mode's speedup, measured by
the pipeline's own verify (issue 16).

For each project and each mode, the project's Debian source tarball is unpacked into a scratch folder,
its hone.yaml is written from tests/bench/pgo_projects/<project>.yaml (only the @NAME@ placeholders are
filled: compiler, archiver, pgo.kind, verify rounds, where the workload scripts and data are), and the
whole pipeline runs (`hone pgo --json -q`). Each verify measures that mode's optimized build against the
project's own plain release build built by the same compiler (interleaved rounds after a warm-up, paired
speedup, 95 % bootstrap interval, wall or CPU time as verify decides). BOLT is off, so every row is PGO +
LTO against the release build. Printed: a Markdown table modes x projects (speedup, interval, decision
metric, rounds run), the fraction of the instrumented (ir) gain that sample-IP PGO recovers,
(S_sample - 1) / (S_ir - 1), and the load average around each run.

Modes: ir (Clang IR instrumentation), cs (context-sensitive IR), frontend (Clang front-end
instrumentation), sample (perf record -e cpu-clock IP samples -> sample profile), gcc (gcc-12's own
PGO). Sample-LBR is not a mode here: it needs hardware branch stacks.

Projects: lua (Lua 5.4.4, its Makefile), zstd (zstd 1.5.4's CLI, CMake), mawk (mawk 1.3.4, autotools).

Sources: the tarballs named in PROJECTS are looked up in --sources (default /tmp/src); missing ones are
fetched with `apt-get source --download-only` through a private sources list (no system change).

Usage: nice -n 5 tests/bench/pgo_projects.py [--projects lua,zstd,mawk] [--modes ir,cs,frontend,sample,gcc]
                                             [--rounds 10] [--hone build/dev/bin/hone] [--keep]
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CONFIGS = os.path.join(HERE, "pgo_projects")

# Debian source package and the glob of its upstream tarball.
PROJECTS = {
    "lua": ("lua5.4", "lua5.4_5.4.4*.orig.tar.*"),
    "zstd": ("libzstd", "libzstd_1.5.4*.orig.tar.*"),
    "mawk": ("mawk", "mawk_1.3.4*.orig.tar.*"),
}

CLANG = {"CC": "clang-19", "CXX": "clang++-19", "AR": "/usr/bin/llvm-ar-19", "RANLIB": "/usr/bin/llvm-ranlib-19",
         "FLAGS": ""}
# (hone's GCC optimize build adds -fprofile-correction itself: zstd's merged profile needs it.)
GCC = {"CC": "gcc-12", "CXX": "g++-12", "AR": "/usr/bin/gcc-ar-12", "RANLIB": "/usr/bin/gcc-ranlib-12",
       "FLAGS": ""}
MODES = {
    "ir": dict(CLANG, KIND="ir"),
    "cs": dict(CLANG, KIND="cs"),
    "frontend": dict(CLANG, KIND="frontend"),
    "sample": dict(CLANG, KIND="sample"),
    "gcc": dict(GCC, KIND="ir"),
}
MODE_NAMES = {
    "ir": "IR instrumentation (clang-19)",
    "cs": "context-sensitive IR (clang-19)",
    "frontend": "front-end instrumentation (clang-19)",
    "sample": "sample-IP, perf cpu-clock (clang-19)",
    "gcc": "GCC instrumentation (gcc-12)",
}


def fetch_sources(sources, package):
    """Downloads a Debian source package into `sources` with a private sources list."""
    os.makedirs(os.path.join(sources, "lists", "partial"), exist_ok=True)
    sources_list = os.path.join(sources, "sources.list")
    if not os.path.exists(sources_list):
        with open(sources_list, "w") as f:
            f.write("deb-src http://deb.debian.org/debian bookworm main\n")
    apt = ["apt-get", "-o", f"Dir::Etc::SourceList={sources_list}", "-o", "Dir::Etc::SourceParts=/dev/null",
           "-o", f"Dir::State::Lists={os.path.join(sources, 'lists')}"]
    subprocess.run(apt + ["update"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(apt + ["source", "--download-only", package], check=True, cwd=sources, stdout=subprocess.DEVNULL)


def tarball(sources, project):
    package, pattern = PROJECTS[project]
    found = sorted(glob.glob(os.path.join(sources, pattern)))
    found = [f for f in found if not f.endswith(".asc")]
    if not found:
        fetch_sources(sources, package)
        found = [f for f in sorted(glob.glob(os.path.join(sources, pattern))) if not f.endswith(".asc")]
    if not found:
        sys.exit(f"pgo_projects: no {pattern} in {sources}")
    return found[0]


def unpack(archive, folder):
    """The tarball's single top folder's contents, into `folder`."""
    with tempfile.TemporaryDirectory(dir=os.path.dirname(folder)) as tmp:
        with tarfile.open(archive) as tar:
            tar.extractall(tmp)
        (top,) = os.listdir(tmp)
        shutil.move(os.path.join(tmp, top), folder)


def zstd_data(scratch):
    """Training data: a tar of zstd's own lib/ (C sources); benchmark data: other bytes, system headers
    and part of a shared library, so verify measures data the profile never saw."""
    data = os.path.join(scratch, "zstd-data")
    if os.path.isdir(data):
        return data
    os.makedirs(data)
    source = os.path.join(scratch, "zstd-data-src")
    unpack(tarball(ARGS.sources, "zstd"), source)
    with tarfile.open(os.path.join(data, "train.tar"), "w") as tar:
        tar.add(os.path.join(source, "lib"), arcname="lib")
    shutil.rmtree(source)
    with open(os.path.join(data, "bench.bin"), "wb") as out:
        written = 0
        for root, dirs, files in sorted(os.walk("/usr/include")):
            dirs.sort()
            for name in sorted(files):
                if written >= 24 << 20:
                    break
                try:
                    with open(os.path.join(root, name), "rb") as f:
                        chunk = f.read()
                except OSError:
                    continue
                out.write(chunk)
                written += len(chunk)
        for library in ("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/bin/perf"):
            if os.path.exists(library):
                with open(library, "rb") as f:
                    out.write(f.read(8 << 20))
                break
    return data


def mawk_data(scratch):
    """The text mawk's workloads read, written by tests/bench/pgo_projects/mawk/gen_data.py (fixed seed):
    log lines and prose for training, comma-separated records for the benchmark."""
    data = os.path.join(scratch, "mawk-data")
    if not os.path.isfile(os.path.join(data, "bench.csv")):
        subprocess.run([sys.executable, os.path.join(CONFIGS, "mawk", "gen_data.py"), data], check=True)
    return data


def placeholders(project, mode, scratch):
    values = dict(MODES[mode], REPETITIONS=str(ARGS.rounds))
    if project == "lua":
        values["SCRIPTS"] = os.path.join(CONFIGS, "lua")
    if project == "zstd":
        values["DATA"] = zstd_data(scratch)
    if project == "mawk":
        values["SCRIPTS"] = os.path.join(CONFIGS, "mawk")
        values["DATA"] = mawk_data(scratch)
    return values


def load():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def run(project, mode, scratch):
    folder = os.path.join(scratch, f"{project}-{mode}")
    if not os.path.isdir(folder):
        unpack(tarball(ARGS.sources, project), folder)
    with open(os.path.join(CONFIGS, f"{project}.yaml")) as f:
        text = f.read()
    for key, value in placeholders(project, mode, scratch).items():
        text = text.replace(f"@{key}@", value)
    config = os.path.join(folder, "hone.yaml")
    with open(config, "w") as f:
        f.write(text)
    # A rerun of the script on a kept scratch folder verifies again; builds and profiles stay.
    shutil.rmtree(os.path.join(folder, ".hone", "verify"), ignore_errors=True)
    started, load_before = time.time(), load()
    result = subprocess.run([ARGS.hone, "pgo", "--config", config, "--json", "-q"], capture_output=True, text=True)
    outcome = {"project": project, "mode": mode, "seconds": time.time() - started, "load": [load_before, load()],
               "exit": result.returncode}
    with open(os.path.join(scratch, f"{project}-{mode}.stderr"), "w") as f:
        f.write(result.stderr)
    try:
        verify = json.loads(result.stdout)["verify"]
        rows = [r for r in verify["results"] if r["variant"] != "baseline"]
        base = [r for r in verify["results"] if r["variant"] == "baseline"]
        outcome["rows"] = [{"workload": r["workload"], "variant": r["variant"], "speedup": r["speedup"],
                            "low": r["ci_low"], "high": r["ci_high"], "verdict": r.get("verdict", ""),
                            "metric": r.get("metric", "wall"), "rounds": len(r.get("runs", [])),
                            "median": r.get("median_seconds", 0.0)} for r in rows]
        outcome["baseline"] = base[0].get("median_seconds", 0.0) if base else 0.0
    except (ValueError, KeyError, TypeError):
        lines = result.stderr.strip().splitlines()
        errors = [line.strip() for line in lines if "error:" in line]  # hone's own line, then the compiler's
        outcome["error"] = errors[:2] or lines[-3:] or ["no output"]
    return outcome


def cell(outcome):
    if outcome is None:
        return "not run"
    if "rows" not in outcome or not outcome["rows"]:
        return "failed: " + " / ".join(outcome.get("error", ["?"]))[-300:].replace("|", "\\|")
    r = outcome["rows"][0]
    return (f"**{r['speedup']:.2f}x** [{r['low']:.2f}, {r['high']:.2f}] {r['verdict']}; "
            f"{r['metric']}, {r['rounds']} rounds; {outcome['baseline'] * 1000:.0f} -> {r['median'] * 1000:.0f} ms; "
            f"load {outcome['load'][0]:.1f}-{outcome['load'][1]:.1f}")


def table(outcomes, projects, modes):
    lines = ["| mode | " + " | ".join(projects) + " |", "|---|" + "---|" * len(projects)]
    for mode in modes:
        lines.append(f"| {MODE_NAMES[mode]} | " + " | ".join(cell(outcomes.get((p, mode))) for p in projects) + " |")
    if "ir" in modes and "sample" in modes:
        fractions = []
        for p in projects:
            ir, sample = outcomes.get((p, "ir")), outcomes.get((p, "sample"))
            if ir and sample and ir.get("rows") and sample.get("rows") and ir["rows"][0]["speedup"] > 1:
                s_ir, s_sa = ir["rows"][0]["speedup"], sample["rows"][0]["speedup"]
                fractions.append(f"{100 * (s_sa - 1) / (s_ir - 1):.0f} %")
            else:
                fractions.append("n/a")
        lines.append("| sample-IP / instrumented gain | " + " | ".join(fractions) + " |")
    return "\n".join(lines)


def main():
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", default="lua,zstd,mawk")
    parser.add_argument("--modes", default="ir,cs,frontend,sample,gcc")
    parser.add_argument("--rounds", type=int, default=10, help="verify.repetitions (verify may add rounds)")
    parser.add_argument("--hone", default=os.path.join(REPO, "build", "dev", "bin", "hone"))
    parser.add_argument("--sources", default="/tmp/src", help="folder of the Debian source tarballs")
    parser.add_argument("--scratch", help="work folder (default: a new temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    ARGS = parser.parse_args()
    projects = [p for p in ARGS.projects.split(",") if p]
    modes = [m for m in ARGS.modes.split(",") if m]
    for name in projects:
        if name not in PROJECTS:
            sys.exit(f"pgo_projects: unknown project '{name}' (known: {', '.join(PROJECTS)})")
    for name in modes:
        if name not in MODES:
            sys.exit(f"pgo_projects: unknown mode '{name}' (known: {', '.join(MODES)})")
    if not os.access(ARGS.hone, os.X_OK):
        sys.exit(f"pgo_projects: {ARGS.hone} not found; build hone first")
    ARGS.sources = os.path.abspath(ARGS.sources)
    os.makedirs(ARGS.sources, exist_ok=True)
    scratch = os.path.abspath(ARGS.scratch) if ARGS.scratch else tempfile.mkdtemp(prefix="hone-pgo-projects-")
    os.makedirs(scratch, exist_ok=True)
    outcomes = {}
    try:
        for project in projects:
            for mode in modes:
                outcome = run(project, mode, scratch)
                outcomes[(project, mode)] = outcome
                print(f"{project} {mode}: {cell(outcome)} ({outcome['seconds']:.0f} s)", flush=True)
                with open(os.path.join(scratch, "results.json"), "a") as f:
                    f.write(json.dumps(outcome) + "\n")
        print()
        print(table(outcomes, projects, modes))
    finally:
        if ARGS.keep or ARGS.scratch:
            print(f"\nscratch folder kept: {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
