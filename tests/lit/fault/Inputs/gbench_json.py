"""Writes a Google Benchmark JSON file with one benchmark's repetitions, for the bench fault tests.

Usage: gbench_json.py OUT NAME UNIT TIME... (times as text, so negative and huge values pass unchanged).
"""
import json
import sys

out, name, unit, times = sys.argv[1], sys.argv[2], sys.argv[3], [float(t) for t in sys.argv[4:]]
runs = [{"name": name, "run_name": name, "run_type": "iteration", "repetitions": len(times), "repetition_index": i,
         "iterations": 1000, "real_time": t, "cpu_time": t, "time_unit": unit} for i, t in enumerate(times)]
with open(out, "w") as f:
    json.dump({"context": {"library_build_type": "release"}, "benchmarks": runs}, f, indent=1)
