#!/usr/bin/env python3
"""fraise-launch against psql and jq on the same relation, side by side.

Called by bench/tools.sh once the harness cluster is up and bench/setup.sql is
loaded; reads FRAISE_TEST_URI. Three comparisons on v_bench_1m (1M rows):

  1. streaming: `fraise-launch 'query source=R ! jsonl-sink' > /dev/null`
     against `psql -c "COPY (SELECT data FROM R) TO STDOUT" > /dev/null`
     (rows/s ratio), and the peak RSS of fraise-launch on 1K and on 1M rows;
  2. filter and projection: `filter expr=… ! project fields=id,name` in
     fraise-launch (the filter pushed down as far as it goes, and with
     push-down=false, everything client-side) against `psql COPY … | jq -c`,
     after checking that all of them write byte-identical lines;
  3. the same pipelines against the raw fraise-launch pipeline.

Each contender runs under bench-run (wall time, CPU time, peak RSS of the
process tree it waits for), one warm-up round then --runs rounds,
round-robin, medians reported. Figures only: timing never makes it fail; a
contender that fails or writes other lines than the others is reported and
makes the exit status 1.
"""

import argparse
import hashlib
import json
import os
import shlex
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (run_once, measure_round_robin, Failed, machine_description)

VIEW = "v_bench_1m"
SMALL_VIEW = "v_bench_1k"
EXPR = 'name =~ "^[A-M]" && status == "active"'
JQ_FILTER = 'select((.name | test("^[A-M]")) and .status == "active") | {id, name}'
CLIENT_SIDE = "launch filter+project, push-down=false"
JQ = "psql COPY | jq"


def launch_cmd(args, description, extra=()):
    return [args.launch, "--uri", os.environ["FRAISE_TEST_URI"], *extra, description]


def psql_copy(args, view):
    return [args.psql, os.environ["FRAISE_TEST_URI"], "-X", "-q", "-c",
            f"COPY (SELECT data FROM {view}) TO STDOUT"]


def shell(*commands):
    """A shell pipeline of argument vectors, for bench-run."""
    return ["sh", "-c", " | ".join(" ".join(shlex.quote(a) for a in c) for c in commands)]


def filter_can_push_down(args):
    """Whether this build's filter element has a push-down property."""
    inspect = os.path.join(os.path.dirname(args.launch), "fraise-inspect")
    page = json.loads(subprocess.run([inspect, "--json", "filter"], check=True,
                                     capture_output=True).stdout)
    return any(p["name"] == "push-down" for p in page["properties"])


def contenders(args):
    raw = f"query source={VIEW} ! jsonl-sink"
    filtered = f"query source={VIEW} ! filter expr='{EXPR}' ! project fields=id,name ! jsonl-sink"
    client_side = (f"query source={VIEW} ! filter push-down=false expr='{EXPR}' ! "
                   "project fields=id,name ! jsonl-sink")
    entries = {
        "launch raw": launch_cmd(args, raw),
        "psql COPY": psql_copy(args, VIEW),
        "launch filter+project": launch_cmd(args, filtered),
    }
    if filter_can_push_down(args):
        entries[CLIENT_SIDE] = launch_cmd(args, client_side)
    entries[JQ] = shell(psql_copy(args, VIEW), [args.jq, "-c", JQ_FILTER])
    return entries


# A sequential scan of a large table may start where another one is (or
# was): rows then come in another order. The output check turns that off.
SAME_ORDER = dict(os.environ, PGOPTIONS="-c synchronize_seqscans=off")


def digest_of(cmd):
    """Runs @cmd, returns (lines, sha256) of its standard output."""
    h = hashlib.sha256()
    lines = 0
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, env=SAME_ORDER) as proc:
        for chunk in iter(lambda: proc.stdout.read(1 << 20), b""):
            h.update(chunk)
            lines += chunk.count(b"\n")
    if proc.returncode != 0:
        raise bench.Failed(f"{cmd[0]} exited with status {proc.returncode}")
    return lines, h.hexdigest()


def rate(rows, m):
    return rows / m["wall"] if m and m["wall"] else None


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", required=True, help="build directory (bench/bench-run, tools)")
    parser.add_argument("--psql", default="/usr/lib/postgresql/15/bin/psql")
    parser.add_argument("--jq", default="jq")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", help="markdown file to write (overwritten)")
    args = parser.parse_args()
    args.launch = os.path.join(args.build, "fraisewire", "tools", "fraise-launch")

    def log(message):
        print(f"bench-tools: {message}", file=sys.stderr, flush=True)

    problems = []
    uri = os.environ["FRAISE_TEST_URI"]
    rows = int(bench.psql_value(args, uri, f"SELECT count(*) FROM {VIEW}"))
    entries = contenders(args)

    # The filtering contenders must agree, line for line.
    digests = {}
    checked = [name for name in ("launch filter+project", CLIENT_SIDE, JQ) if name in entries]
    for name in checked:
        log(f"checking the output of {name}")
        try:
            digests[name] = digest_of(entries[name])
        except bench.Failed as exc:
            problems.append(f"{name}: {exc}")
    if len(set(digests.values())) > 1:
        problems.append("the filtering contenders wrote different lines: " +
                        ", ".join(f"{k}: {v[0]} lines, sha256 {v[1][:12]}"
                                  for k, v in digests.items()))
    kept = next(iter(digests.values()))[0] if digests else None

    log(f"{VIEW}: {len(entries)} contenders, warm-up + {args.runs} rounds")
    results = bench.measure_round_robin(
        args, [(name, "external", cmd) for name, cmd in entries.items()], args.runs, log)
    small = bench.measure_round_robin(
        args, [("launch raw 1K", "external",
                launch_cmd(args, f"query source={SMALL_VIEW} ! jsonl-sink"))],
        args.runs, log)["launch raw 1K"]
    for name, m in list(results.items()) + [("launch raw 1K", small)]:
        if isinstance(m, bench.Failed):
            problems.append(f"{name}: {m}")
            results[name] = None
    small = None if isinstance(small, bench.Failed) else small

    def get(name):
        return results.get(name)

    lines = []
    lines.append(f"Machine: {bench.machine_description(args)}.")
    lines.append("")
    lines.append(f"`{VIEW}`: {rows:,} rows; the filter `{EXPR}` keeps "
                 f"{kept:,} of them." if kept is not None else f"`{VIEW}`: {rows:,} rows.")
    lines.append(f"Medians of {args.runs} runs after a warm-up, round-robin.")
    lines.append("")
    lines.append("| contender | time (s) | rows/s (input) | CPU (s) | peak RSS (MiB) |")
    lines.append("|---|--:|--:|--:|--:|")
    for name in entries:
        m = get(name)
        cell = name.replace("|", "\\|")
        if m is None:
            lines.append(f"| {cell} | failed | | | |")
            continue
        lines.append(f"| {cell} | {m['wall']:.2f} | {rate(rows, m):,.0f} | {m['cpu']:.2f} | "
                     f"{bench.fmt(m['rss_kib'] and m['rss_kib'] / 1024, '.1f')} |")
    lines.append("")

    def ratio(a, b):
        ma, mb = get(a), get(b)
        return f"{mb['wall'] / ma['wall']:.2f}" if ma and mb else "—"

    lines.append(f"- streaming, rows/s of fraise-launch ÷ psql COPY: "
                 f"{ratio('launch raw', 'psql COPY')}")
    if small and get("launch raw"):
        lines.append(f"- peak RSS of fraise-launch: {small['rss_kib'] / 1024:.1f} MiB on 1K rows, "
                     f"{get('launch raw')['rss_kib'] / 1024:.1f} MiB on 1M rows")
    if CLIENT_SIDE in entries:
        lines.append(f"- filter + project, fraise-launch ÷ psql | jq (speed-up): "
                     f"{ratio('launch filter+project', JQ)} with push-down, "
                     f"{ratio(CLIENT_SIDE, JQ)} client-side only")
        lines.append(f"- filter + project against the raw pipeline (time of raw ÷ time of "
                     f"filtered): {ratio('launch filter+project', 'launch raw')} with push-down, "
                     f"{ratio(CLIENT_SIDE, 'launch raw')} client-side only")
    else:
        lines.append(f"- filter + project (evaluated client-side), fraise-launch ÷ psql | jq "
                     f"(speed-up): {ratio('launch filter+project', JQ)}")
        lines.append(f"- filter + project against the raw pipeline (time of raw ÷ time of "
                     f"filtered): {ratio('launch filter+project', 'launch raw')}")
    same = len(digests) == len(checked) and len(set(digests.values())) == 1
    lines.append("- identical output: " + ("yes, " + ", ".join(
        f"{k}: {v[0]:,} lines" for k, v in digests.items()) if same else "NO"))
    for problem in problems:
        lines.append(f"- problem: {problem}")

    text = "\n".join(lines) + "\n"
    print(text)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write("# fraise-launch against psql and jq (bench/tools.sh)\n\n" + text)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
