#!/usr/bin/env python3
"""Sample-IP PGO vs instrumented PGO on a hone project, measured by the pipeline's own verify.

For each round, two copies of the project run the whole `hone pgo` pipeline side by side in turn: one
with pgo.kind: ir (instrumented, the baseline to beat) and one with pgo.kind: sample (perf record -e
cpu-clock of the profiling build, converted by hone-sample-profile). Everything else in hone.yaml is
kept (LTO included; BOLT is turned off so the comparison is PGO against PGO). Each verify measures its
optimized build against the same project's plain Release build (interleaved rounds, bootstrap CI).
Reported per round: both speedups with their 95 % intervals, and the fraction of the instrumented gain
that sample PGO recovers, (S_sample - 1) / (S_ir - 1); then the range over rounds.

Usage: tests/bench/sample_pgo_fraction.py [--project examples/tally] [--hone build/dev/bin/hone]
                                          [--rounds 2] [--repetitions 10]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def set_yaml(text, kind, repetitions):
    """The project's hone.yaml with pgo.kind set, bolt off and verify.repetitions set."""
    text = re.sub(r"(?m)^pgo:\n(  .*\n)*", "", text)
    text = re.sub(r"(?m)^bolt:.*\n", "", text)
    text = re.sub(r"(?m)^verify:\n(  .*\n)*", "", text)
    return text + f"pgo:\n  kind: {kind}\nbolt: off\nverify:\n  repetitions: {repetitions}\n  warmup: 1\n"


def run_pipeline(hone, folder):
    result = subprocess.run([hone, "pgo", "--config", os.path.join(folder, "hone.yaml"), "--json", "-q"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"hone pgo failed in {folder}:\n{result.stderr[-3000:]}")
    verify = json.loads(result.stdout)["verify"]
    rows = [r for r in verify["results"] if r["variant"] != "baseline"]
    return [(r["workload"], r["speedup"], r["ci_low"], r["ci_high"], r.get("metric", "wall")) for r in rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--project", default=os.path.join(root, "examples", "tally"))
    parser.add_argument("--hone", default=os.path.join(root, "build", "dev", "bin", "hone"))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repetitions", type=int, default=10)
    args = parser.parse_args()
    with open(os.path.join(args.project, "hone.yaml")) as f:
        original = f.read()
    scratch = tempfile.mkdtemp(prefix="hone-sample-fraction-")
    fractions = []
    try:
        for kind in ("ir", "sample"):
            folder = os.path.join(scratch, kind)
            shutil.copytree(args.project, folder, ignore=shutil.ignore_patterns(".hone", "build"))
            with open(os.path.join(folder, "hone.yaml"), "w") as f:
                f.write(set_yaml(original, kind, args.repetitions))
        for round_index in range(args.rounds):
            results = {}
            for kind in ("ir", "sample"):
                if round_index > 0:  # verify again each round; the builds and profiles stay
                    shutil.rmtree(os.path.join(scratch, kind, ".hone", "verify"), ignore_errors=True)
                results[kind] = run_pipeline(args.hone, os.path.join(scratch, kind))
            for (workload, s_ir, lo_ir, hi_ir, metric), (_, s_sa, lo_sa, hi_sa, _) in zip(results["ir"],
                                                                                         results["sample"]):
                fraction = (s_sa - 1) / (s_ir - 1) if s_ir > 1 else float("nan")
                fractions.append(fraction)
                print(f"round {round_index + 1} {workload} ({metric}): instrumented {s_ir:.2f}x [{lo_ir:.2f}, "
                      f"{hi_ir:.2f}], sample-IP {s_sa:.2f}x [{lo_sa:.2f}, {hi_sa:.2f}], fraction of the "
                      f"instrumented gain {100 * fraction:.0f}%", flush=True)
        print(f"fraction over {len(fractions)} measurement(s): {100 * min(fractions):.0f}%..{100 * max(fractions):.0f}%")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
