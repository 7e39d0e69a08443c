"""Reads a JSON allocation report and prints its top site's first frame, and whether that site's
estimated bytes are within TOLERANCE of TRUTH: check_sites.py REPORT TRUTH TOLERANCE."""
import json
import sys

report = json.load(open(sys.argv[1]))
truth, tolerance = int(sys.argv[2]), float(sys.argv[3])
sampling = report["sampling"]
top = sampling["sites"][0]
error = abs(top["bytes"] - truth) / truth
print("top site:", top["frames"][0])
print("estimate within tolerance:" if error <= tolerance else "estimate OFF by %.1f%%:" % (100 * error),
      top["bytes"], "for", truth)
