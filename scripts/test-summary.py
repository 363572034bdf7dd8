#!/usr/bin/python3
"""Summarises a Meson test log (testlog.json) as one line.

Usage: test-summary.py [--verbose] BUILD_DIR/meson-logs/testlog.json

Counts individual test cases: for a TAP program every top-level `ok` /
`not ok` line (`# SKIP` counts as skipped, `not ok ... # TODO` as skipped); a
TAP program that crashed, timed out or broke its plan without reporting a
failing case counts one extra failure. A program that is not TAP counts as one
case, by its Meson result.

Prints `N passed, N failed` (plus `, N skipped` when some were skipped) as the
last line and exits with 1 when anything failed, 2 when the log is missing or
empty, 0 otherwise.
"""

import json
import re
import sys

TAP_RESULT = re.compile(r"^(not ok|ok)\b(?:\s+\d+)?([^#]*)(?:#\s*(\w+)\b\s*(.*))?$", re.IGNORECASE)
TAP_PLAN = re.compile(r"^1\.\.(\d+)\s*(?:#\s*(\w+)\b\s*(.*))?$", re.IGNORECASE)
TAP_BAIL = re.compile(r"^Bail out!", re.IGNORECASE)

PASSING_RESULTS = {"OK", "EXPECTEDFAIL"}
SKIPPED_RESULTS = {"SKIP"}
# Everything else (FAIL, TIMEOUT, ERROR, UNEXPECTEDPASS, INTERRUPT, ...) fails.


class Counts:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.failures = []
        self.skips = []


def parse_tap(text):
    """Returns (passed, failed, skipped, failed_names, skipped_names, seen, bailed)."""
    passed = failed = skipped = 0
    failed_names, skipped_names = [], []
    seen = False
    bailed = False
    plan_skip = None
    for line in text.splitlines():
        # Only top-level lines: indented lines belong to subtests, which
        # report their overall result on a top-level line of their own.
        line = line.rstrip("\r")
        if TAP_BAIL.match(line):
            bailed = True
            continue
        plan = TAP_PLAN.match(line)
        if plan:
            seen = True
            if plan.group(1) == "0" and (plan.group(2) or "").upper() == "SKIP":
                plan_skip = plan.group(3) or ""
            continue
        m = TAP_RESULT.match(line)
        if not m:
            continue
        seen = True
        status = m.group(1).lower()
        desc = m.group(2).strip().lstrip("-").strip()
        directive = (m.group(3) or "").upper()
        if directive == "SKIP" and status == "ok":
            skipped += 1
            skipped_names.append(desc)
        elif status == "ok":
            passed += 1
        elif directive == "TODO":
            # An expected failure (GLib: g_test_incomplete): neither passed nor
            # failed, so it is reported with the skipped ones.
            skipped += 1
            skipped_names.append(desc + " (todo)")
        else:
            failed += 1
            failed_names.append(desc)
    if plan_skip is not None and passed == failed == skipped == 0:
        skipped = 1
        skipped_names.append("(whole program) " + plan_skip)
    return passed, failed, skipped, failed_names, skipped_names, seen, bailed


def looks_like_tap(entry):
    if entry.get("protocol"):
        return entry["protocol"] == "tap"
    command = entry.get("command") or []
    if "--tap" in command:
        return True
    stdout = entry.get("stdout") or ""
    return any(TAP_PLAN.match(l) or TAP_RESULT.match(l) for l in stdout.splitlines())


def summarise(path):
    counts = Counts()
    entries = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            raw = raw.strip()
            if not raw:
                continue
            entry = json.loads(raw)
            entries += 1
            name = entry.get("name", "?")
            result = str(entry.get("result", "ERROR")).upper()
            if looks_like_tap(entry):
                p, fl, s, fnames, snames, seen, bailed = parse_tap(entry.get("stdout") or "")
                counts.passed += p
                counts.failed += fl
                counts.skipped += s
                counts.failures += [f"{name}: {n}" for n in fnames]
                counts.skips += [f"{name}: {n}" for n in snames]
                program_failed = result not in PASSING_RESULTS | SKIPPED_RESULTS or bailed
                if program_failed and fl == 0:
                    counts.failed += 1
                    counts.failures.append(f"{name}: program {result.lower()}"
                                           + (" (bailed out)" if bailed else ""))
                elif result in SKIPPED_RESULTS and p + fl + s == 0:
                    # e.g. `1..0`: the program ran no test at all.
                    counts.skipped += 1
                    counts.skips.append(f"{name}: (whole program, no tests run)")
                elif not seen and result in PASSING_RESULTS:
                    counts.passed += 1
            elif result in PASSING_RESULTS:
                counts.passed += 1
            elif result in SKIPPED_RESULTS:
                counts.skipped += 1
                counts.skips.append(name)
            else:
                counts.failed += 1
                counts.failures.append(f"{name}: {result.lower()}")
    return counts, entries


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("-")]
    verbose = "--verbose" in argv or "-v" in argv
    if len(args) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        counts, entries = summarise(args[0])
    except (OSError, ValueError) as e:
        print(f"test-summary: cannot read {args[0]}: {e}", file=sys.stderr)
        print("0 passed, 1 failed")
        return 2
    if entries == 0:
        print(f"test-summary: no test results in {args[0]}", file=sys.stderr)
        print("0 passed, 1 failed")
        return 2
    if counts.failures:
        print("Failed:")
        for f in counts.failures:
            print("  " + f)
    if counts.skips and (verbose or counts.skipped):
        print("Skipped:")
        for s in counts.skips:
            print("  " + s)
    line = f"{counts.passed} passed, {counts.failed} failed"
    if counts.skipped:
        line += f", {counts.skipped} skipped"
    print(line)
    return 1 if counts.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
