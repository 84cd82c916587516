#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs the tsvc-limbo harness over the x509-limbo suite and compares every
result with the case's expected_result.

Usage: compare.py HARNESS [EXCEPTIONS_JSON]

The suite is $TSVC_VECTORS/limbo/limbo.json, or
$TSVC_SOURCE_ROOT/../shared/vectors/limbo/limbo.json. When it is absent the
script prints a SKIPPED line and exits 77 (meson's "skipped").

Agreement must be complete: a case whose actual result differs from the
expected one fails the test unless it is listed, with a reason, in the
exceptions file. SKIPPED results (e.g. CRL cases until CRLs are supported)
are counted separately (none are skipped for CRLs any more: crl_cases.py
runs local CRL cases). Every pathological:: case is also run on its own
and must finish in under one second.
"""
import json
import os
import subprocess
import sys
import time

PATHOLOGICAL_BUDGET = 1.0  # seconds per case
MAX_EXCEPTIONS = 5


def suite_path():
    vectors = os.environ.get("TSVC_VECTORS")
    if vectors:
        return os.path.join(vectors, "limbo", "limbo.json")
    root = os.environ.get("TSVC_SOURCE_ROOT",
                          os.path.join(os.path.dirname(__file__), "..", "..", ".."))
    return os.path.join(root, "..", "shared", "vectors", "limbo", "limbo.json")


def main():
    if len(sys.argv) < 2:
        print("usage: compare.py HARNESS [EXCEPTIONS_JSON]", file=sys.stderr)
        return 2
    harness = sys.argv[1]
    exc_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "limbo-exceptions.json")
    path = suite_path()
    if not os.path.exists(path):
        print("*" * 72)
        print(f"limbo: SKIPPED -- x509-limbo vectors not found at {path}")
        print("       (set TSVC_VECTORS or -Dvectors_dir to run the suite)")
        print("*" * 72)
        return 77

    with open(path, "rb") as f:
        suite_bytes = f.read()
    suite = json.loads(suite_bytes)
    expected = {tc["id"]: tc["expected_result"] for tc in suite["testcases"]}

    exceptions = {}
    if os.path.exists(exc_path):
        with open(exc_path) as f:
            for e in json.load(f)["exceptions"]:
                if not e.get("reason"):
                    print(f"limbo: exception {e.get('id')} has no written reason")
                    return 1
                exceptions[e["id"]] = e["reason"]
    if len(exceptions) > MAX_EXCEPTIONS:
        print(f"limbo: {len(exceptions)} exceptions listed, at most {MAX_EXCEPTIONS} allowed")
        return 1

    proc = subprocess.run([harness], input=suite_bytes, capture_output=True, timeout=280)
    if proc.returncode != 0:
        print(f"limbo: harness failed with status {proc.returncode}")
        print(proc.stderr.decode(errors="replace")[-4000:])
        return 1
    result = json.loads(proc.stdout)
    if result.get("version") != 1 or not str(result.get("harness", "")).startswith("libtrustsvc-"):
        print("limbo: malformed LimboResult header")
        return 1

    agree = excepted = skipped = 0
    disagree = []
    seen = set()
    for r in result["results"]:
        tid = r["id"]
        seen.add(tid)
        actual = r["actual_result"]
        if actual not in ("SUCCESS", "FAILURE", "SKIPPED"):
            disagree.append((tid, expected.get(tid), actual, "bad actual_result"))
            continue
        if actual == "SKIPPED":
            skipped += 1
            continue
        if actual == expected.get(tid):
            if tid in exceptions:
                print(f"limbo: note: {tid} is listed as an exception but now agrees")
            agree += 1
        elif tid in exceptions:
            excepted += 1
        else:
            disagree.append((tid, expected.get(tid), actual, r.get("context", "")))
    missing = [tid for tid in expected if tid not in seen]
    for tid in missing:
        disagree.append((tid, expected[tid], "(no result)", ""))

    # Pathological cases, one at a time, timed.
    slow = []
    for tc in suite["testcases"]:
        tid = tc["id"]
        if not tid.startswith("pathological::"):
            continue
        one = json.dumps({"version": 1, "testcases": [tc]}).encode()
        start = time.monotonic()
        p = subprocess.run([harness], input=one, capture_output=True, timeout=60)
        elapsed = time.monotonic() - start
        if p.returncode != 0 or elapsed >= PATHOLOGICAL_BUDGET:
            slow.append((tid, elapsed, p.returncode))

    for tid, exp, act, ctx in disagree:
        print(f"DISAGREE {tid}: expected {exp}, got {act}: {ctx}")
    for tid, elapsed, rc in slow:
        print(f"SLOW {tid}: {elapsed:.3f}s (status {rc}), budget {PATHOLOGICAL_BUDGET}s")
    print(f"limbo: {agree} agree, {excepted} excepted, {skipped} skipped, "
          f"{len(disagree)} disagree")
    return 1 if disagree or slow else 0


if __name__ == "__main__":
    sys.exit(main())
