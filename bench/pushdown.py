#!/usr/bin/env python3
"""Filter push-down against the same WHERE in psql and against client-side filtering.

Called by bench/tools.sh once the harness cluster is up and bench/setup.sql is
loaded; reads FRAISE_TEST_URI (and FRAISE_TEST_SUPERUSER_URI to create and
drop the index). On v_bench_1m (1M rows):

  1. a 1 %-selective pushable filter (`EXPR` below, 10,000 rows kept) in
     fraise-launch with push-down (the default), the same filter with
     push-down=false (every row sent, evaluated on the client), and psql
     running `COPY (<the same SELECT … WHERE …>) TO STDOUT`, the SQL taken
     from `fraise-launch --explain` so that the server does the same work;
     all three must write the same lines (compared sorted: a parallel scan
     returns them in any order); first without an index (the server scans
     every row), then with the index `--explain` advises for the filter;
  2. the time to the first row of an equality filter on a unique field
     (bench-first-row: from run_async to the first row at a signal-sink, the
     type probe and the server's work included), without an index, then
     with the index `fraise-launch --explain` advises, created verbatim
     (and dropped at the end).

Contenders run under bench-run, one warm-up round then --runs rounds,
round-robin, medians. Figures only: timing never makes it fail; a contender
that fails, disagreeing output, or a plan that ignores the advised index
makes the exit status 1.
"""

import argparse
import hashlib
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
from tools import SAME_ORDER, launch_cmd  # noqa: E402

VIEW = "v_bench_1m"
EXPR = "score < 1.4"  # score = round((i % 1000) / 7, 3): i % 1000 < 10, 1 %
EQUALITY = 'email == "user777777@example.com"'  # one row
PUSHED = "launch, push-down"
CLIENT = "launch, push-down=false"
PSQL = "psql COPY, same WHERE"


def explain(args, description):
    """The SQL and the advice lines of `fraise-launch --explain`."""
    out = subprocess.run(launch_cmd(args, description, ("--explain",)), check=True,
                         capture_output=True, text=True).stdout
    lines = out.splitlines()
    if len(lines) < 2 or lines[0] != "SQL:":
        raise bench.Failed(f"unexpected --explain output: {out[:300]}")
    advice = [line.strip() for line in lines if line.startswith("  CREATE INDEX ")]
    return lines[1].strip(), advice, out


def first_row(args, description, iterations):
    out = subprocess.run([os.path.join(args.build, "bench", "bench-first-row"),
                          os.environ["FRAISE_TEST_URI"], description, str(iterations)],
                         check=True, capture_output=True, text=True).stdout
    m = re.search(r"median_ms=(\S+) min_ms=(\S+) max_ms=(\S+) rows=(\d+)", out)
    if not m:
        raise bench.Failed(f"bench-first-row: {out[:300]}")
    return {"median": float(m.group(1)), "min": float(m.group(2)), "max": float(m.group(3)),
            "rows": int(m.group(4))}


def superuser_sql(args, sql):
    subprocess.run([args.psql, os.environ["FRAISE_TEST_SUPERUSER_URI"], "-X", "-q",
                    "-v", "ON_ERROR_STOP=1", "-c", sql], check=True)


def sorted_digest(cmd):
    """(lines, sha256 of the sorted lines) of @cmd's standard output."""
    out = subprocess.run(cmd, stdout=subprocess.PIPE, env=SAME_ORDER, check=False)
    if out.returncode != 0:
        raise bench.Failed(f"{cmd[0]} exited with status {out.returncode}")
    lines = sorted(out.stdout.splitlines())
    return len(lines), hashlib.sha256(b"\n".join(lines)).hexdigest()


def create_advised(args, advice, name):
    """Creates each advised index (named @name, @name_1, ...), verbatim
    otherwise, and analyses the table."""
    for n, statement in enumerate(advice):
        index = name if n == 0 else f"{name}_{n}"
        superuser_sql(args, statement.replace("CREATE INDEX ON", f"CREATE INDEX {index} ON", 1))
    superuser_sql(args, "ANALYZE tv_bench_1m")
    return [name if n == 0 else f"{name}_{n}" for n in range(len(advice))]


def drop_indexes(args, names):
    for index in names:
        superuser_sql(args, f"DROP INDEX IF EXISTS {index}")


def with_advised(args, problems, description, advice, name, work):
    """Creates the indexes advised for @description, checks that its plan
    then uses them, returns work() and drops them again."""
    if not advice:
        problems.append(f"--explain gave no index advice for {description}")
    created = []
    try:
        created = create_advised(args, advice, name)
        _, left, plan = explain(args, description)
        if left or "Seq Scan" in plan:
            problems.append("the plan does not use the advised index:\n" + plan)
        return work()
    finally:
        drop_indexes(args, created)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", required=True)
    parser.add_argument("--psql", default="/usr/lib/postgresql/15/bin/psql")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--latency-iterations", type=int, default=20)
    parser.add_argument("--output", help="markdown file to write (overwritten)")
    args = parser.parse_args()
    args.launch = os.path.join(args.build, "fraisewire", "tools", "fraise-launch")

    def log(message):
        print(f"bench-pushdown: {message}", file=sys.stderr, flush=True)

    problems = []
    uri = os.environ["FRAISE_TEST_URI"]
    rows = int(bench.psql_value(args, uri, f"SELECT count(*) FROM {VIEW}"))
    pushed = f"query source={VIEW} ! filter expr='{EXPR}' ! jsonl-sink"
    client = f"query source={VIEW} ! filter push-down=false expr='{EXPR}' ! jsonl-sink"
    sql, advice, _ = explain(args, pushed)
    entries = {
        PUSHED: launch_cmd(args, pushed),
        PSQL: [args.psql, uri, "-X", "-q", "-c", f"COPY ({sql}) TO STDOUT"],
        CLIENT: launch_cmd(args, client),
    }
    digests = {}

    def measure(phase):
        for name, cmd in entries.items():
            log(f"{phase}: checking the output of {name}")
            try:
                digests[(phase, name)] = sorted_digest(cmd)
            except bench.Failed as exc:
                problems.append(f"{phase}, {name}: {exc}")
        log(f"{phase}: {len(entries)} contenders, warm-up + {args.runs} rounds")
        results = bench.measure_round_robin(
            args, [(name, "external", cmd) for name, cmd in entries.items()], args.runs, log)
        for name, m in results.items():
            if isinstance(m, bench.Failed):
                problems.append(f"{phase}, {name}: {m}")
                results[name] = None
        return results

    phases = {"no index": measure("no index")}
    phases["advised index"] = with_advised(args, problems, pushed, advice, "fraise_bench_range",
                                           lambda: measure("advised index"))

    equality = f"query source={VIEW} ! filter expr='{EQUALITY}' ! signal-sink"
    latency = {}
    _, eq_advice, _ = explain(args, equality)
    log("first row without an index")
    latency["no index"] = first_row(args, equality, max(3, args.latency_iterations // 4))
    log("first row with the advised index")
    latency["advised index"] = with_advised(
        args, problems, equality, eq_advice, "fraise_bench_gin",
        lambda: first_row(args, equality, args.latency_iterations))

    kept = {v[0] for v in digests.values()}
    same = len(digests) == 2 * len(entries) and len(set(digests.values())) == 1
    if not same:
        problems.append("the contenders wrote different lines: " +
                        ", ".join(f"{k[0]}, {k[1]}: {v[0]} lines, sha256 {v[1][:12]}"
                                  for k, v in digests.items()))

    lines = [f"Machine: {bench.machine_description(args)}.", ""]
    lines.append(f"`{VIEW}`: {rows:,} rows; the filter `{EXPR}` keeps "
                 + (f"{next(iter(kept)):,}" if len(kept) == 1 else "?") + " of them, pushed as "
                 f"`{sql[sql.index(' WHERE ') + 7:]}`; the advised index: `"
                 + "`, `".join(advice) + "`.")
    lines.append(f"Medians of {args.runs} runs after a warm-up, round-robin.")
    lines.append("")
    lines.append("| contender | index | time (s) | CPU (s) | peak RSS (MiB) |")
    lines.append("|---|---|--:|--:|--:|")
    for phase, results in phases.items():
        for name in entries:
            m = results.get(name)
            if m is None:
                lines.append(f"| {name} | {phase} | failed | | |")
                continue
            lines.append(f"| {name} | {phase} | {m['wall']:.3f} | {m['cpu']:.2f} | "
                         f"{bench.fmt(m['rss_kib'] and m['rss_kib'] / 1024, '.1f')} |")
    lines.append("")

    def speed(results, a, b):
        ma, mb = results.get(a), results.get(b)
        return f"{mb['wall'] / ma['wall']:.2f}" if ma and mb else "—"

    for phase, results in phases.items():
        lines.append(f"- {phase}: push-down ÷ psql with the same WHERE (speed): "
                     f"{speed(results, PUSHED, PSQL)}; push-down ÷ push-down=false (speed-up): "
                     f"{speed(results, PUSHED, CLIENT)}")
    for name, m in latency.items():
        lines.append(f"- first row of `{EQUALITY}`, {name}: median {m['median']:.2f} ms "
                     f"(min {m['min']:.2f}, max {m['max']:.2f})")
    if eq_advice:
        lines.append("- its advised index: `" + "`, `".join(eq_advice) + "`")
    lines.append("- same lines from every contender, in both phases: " + ("yes" if same else "NO"))
    for problem in problems:
        lines.append(f"- problem: {problem}")

    text = "\n".join(lines) + "\n"
    print(text)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write("# Filter push-down against psql and client-side filtering "
                    "(bench/tools.sh)\n\n" + text)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
