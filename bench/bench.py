#!/usr/bin/env python3
"""Runs every contender of the end-to-end benchmark and prints one table.

Called by bench/run.sh once the harness cluster is up and bench/setup.sql is
loaded; reads the harness environment (FRAISE_TEST_URI, FRAISE_TEST_URI_SCRAM,
FRAISE_TEST_SUPERUSER_URI). Prints the results and writes them, as markdown,
to --output. Figures only: timing never makes it fail; a contender that
crashes or returns the wrong rows is reported as such (exit status 1).
"""

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import time

RELATIONS = [
    # view, label, runs after the warm-up
    ("v_bench_1m", "1M rows × ~457 B", 3),
    ("v_bench_large", "1K rows × ~105 KB", 5),
]

# The fraisewire raw contender on relations of the same row shape, for the
# bounded-memory line (v_bench_1k and v_bench_100k come with the fixtures).
MEMORY_VIEWS = ["v_bench_1k", "v_bench_100k", "v_bench_1m"]
MEMORY_RUNS = 3

SERVER = "server alone"
LIBPQ_SINGLE = "libpq single-row"


def contenders(args, view):
    sql = f"SELECT data FROM {view}"
    fraise = os.path.join(args.build, "bench", "bench-fraise")
    libpq = os.path.join(args.build, "bench", "bench-libpq")
    pystream = os.path.join(os.path.dirname(os.path.abspath(__file__)), "python-stream.py")
    uri = os.environ["FRAISE_TEST_URI"]
    superuser = os.environ["FRAISE_TEST_SUPERUSER_URI"]
    return [
        # name, what it does, kind, command
        (SERVER, "server runs COPY (…) TO '/dev/null'", "server",
         [args.psql, superuser, "-X", "-q", "-c", "\\timing on",
          "-c", f"COPY ({sql}) TO '/dev/null'"]),
        ("fraisewire raw", "next_sync + get_text", "program", [fraise, "raw", uri, view]),
        ("fraisewire batch", "next_batch_sync + get_text", "program", [fraise, "batch", uri, view]),
        ("fraisewire field", "next_sync + get_string \"name\"", "program",
         [fraise, "field", uri, view]),
        ("fraisewire parsed", "next_sync + get_node", "program", [fraise, "parsed", uri, view]),
        ("fraisewire 5 fields", "next_sync + a RowReader of 5 fields", "program",
         [fraise, "fields", uri, view]),
        ("fraisewire typed", "next_sync + dup_object (a BenchUser)", "program",
         [fraise, "typed", uri, view]),
        ("fraisewire rows signal", "start + rows signal + get_text", "program",
         [fraise, "signal", uri, view]),
        (LIBPQ_SINGLE, "PQsetSingleRowMode + PQgetvalue", "program",
         [libpq, "single", uri, sql]),
        ("libpq single-row + json-glib", "… + json_parser_load_from_data", "program",
         [libpq, "single-json", uri, sql]),
        ("libpq PQexec", "whole result buffered", "program", [libpq, "exec", uri, sql]),
        ("psql COPY TO STDOUT", "psql -c \"COPY (…) TO STDOUT\" > /dev/null", "external",
         [args.psql, uri, "-X", "-q", "-c", f"COPY ({sql}) TO STDOUT"]),
        ("Python: fraisewire binding", "for row in stream: row.unpack()", "program",
         [sys.executable, pystream, "fraise", uri, view, "--build", args.build]),
        ("Python: psycopg 3", "named cursor + json.loads", "program",
         [sys.executable, pystream, "psycopg", uri, view, "--build", args.build]),
    ] + ([
        ("node-postgres + pg-query-stream", "for await + JSON.parse", "program",
         ["node", os.path.join(args.node_dir, "stream.js"), uri, view]),
    ] if args.node_dir else [])


class Failed(Exception):
    pass


def run_once(args, kind, cmd):
    """Runs one contender process under bench-run; returns
    dict(wall, cpu, rss_kib, rows, bytes)."""
    launcher = os.path.join(args.build, "bench", "bench-run")
    stdout = subprocess.DEVNULL if kind == "external" else subprocess.PIPE
    proc = subprocess.run([launcher] + cmd, stdout=stdout, stderr=subprocess.PIPE, check=False)
    out = proc.stdout.decode() if proc.stdout else ""
    err = proc.stderr.decode()
    report = re.search(r"^bench-run: status=(\d+) wall=(\S+) cpu=(\S+) maxrss_kib=(\d+)$",
                       err, re.MULTILINE)
    if proc.returncode != 0 or not report:
        raise Failed(f"exit status {proc.returncode}: {err.strip()[:300]}")
    result = {
        "wall": float(report.group(2)),
        "cpu": float(report.group(3)),
        "rss_kib": int(report.group(4)),
        "rows": None,
        "bytes": None,
    }
    if kind == "program":
        fields = dict(re.findall(r"(\w+)=(\S+)", out))
        try:
            result.update(wall=float(fields["wall"]), cpu=float(fields["cpu"]),
                          rows=int(fields["rows"]), bytes=int(fields["bytes"]))
        except KeyError as exc:
            raise Failed(f"no result line: {out.strip()[:300]} {err.strip()[:300]}") from exc
    elif kind == "server":
        match = re.search(r"Time: ([0-9.]+) ms", out)
        if not match:
            raise Failed(f"no timing in psql output: {out.strip()[:300]}")
        result.update(wall=float(match.group(1)) / 1e3, rss_kib=None)
    return result


def summarize(samples):
    """Median of each figure over the timed runs."""
    def med(key):
        values = [s[key] for s in samples if s[key] is not None]
        return statistics.median(values) if values else None

    return {
        "wall": med("wall"),
        "cpu": med("cpu"),
        "rss_kib": med("rss_kib"),
        "rows": samples[0]["rows"],
        "bytes": samples[0]["bytes"],
        "walls": [s["wall"] for s in samples],
    }


def measure_round_robin(args, entries, runs, log):
    """entries: list of (key, kind, cmd). One warm-up round, then `runs` rounds;
    each round runs every contender once, so that a background load spike
    hits all contenders alike. Returns {key: summary or Failed}."""
    samples = {key: [] for key, _, _ in entries}
    failed = {}
    for round_no in range(runs + 1):
        log(f"round {round_no}/{runs}" + (" (warm-up)" if round_no == 0 else ""))
        for key, kind, cmd in entries:
            if key in failed:
                continue
            try:
                result = run_once(args, kind, cmd)
            except Failed as exc:
                failed[key] = exc
                continue
            if round_no > 0:
                samples[key].append(result)
    return {key: failed.get(key) or summarize(samples[key]) for key, _, _ in entries}


def psql_value(args, uri, sql):
    out = subprocess.run([args.psql, uri, "-X", "-q", "-A", "-t", "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return out.strip()


def machine_description(args):
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open("/etc/debian_version", encoding="utf-8") as f:
            debian = "Debian " + f.read().strip()
    except OSError:
        debian = platform.platform()
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    server = psql_value(args, os.environ["FRAISE_TEST_URI"], "SHOW server_version")
    return (f"{os.cpu_count()} cores ({cpu}), {mem_gib:.0f} GiB RAM, {debian}, "
            f"Linux {platform.release()}, PostgreSQL {server.split()[0]}; "
            "client and server on the same machine, Unix socket")


def fmt(value, spec, missing="—"):
    return missing if value is None else format(value, spec)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", required=True, help="build directory with bench/ programs")
    parser.add_argument("--psql", default="/usr/lib/postgresql/15/bin/psql")
    parser.add_argument("--node-dir", help="directory with stream.js and its node_modules "
                        "(the node-postgres contender; left out without it)")
    parser.add_argument("--output", help="markdown file to write (overwritten)")
    parser.add_argument("--latency-iterations", type=int, default=20)
    args = parser.parse_args()

    started = time.monotonic()
    problems = []
    table = []          # (relation label, name, description, measurement or error)
    expected_bytes = {}

    def log(message):
        print(f"bench: {message}", file=sys.stderr, flush=True)

    load_before = os.getloadavg()
    for view, label, runs in RELATIONS:
        expected_rows = int(psql_value(args, os.environ["FRAISE_TEST_URI"],
                                       f"SELECT count(*) FROM {view}"))
        entries = contenders(args, view)
        log(f"{view}: {len(entries)} contenders, warm-up + {runs} rounds")
        results = measure_round_robin(args, [(name, kind, cmd) for name, _, kind, cmd in entries],
                                      runs, lambda msg, v=view: log(f"{v}: {msg}"))
        for name, what, _, _ in entries:
            m = results[name]
            if isinstance(m, Failed):
                problems.append(f"{view}: {name}: {m}")
                table.append((view, label, name, what, None))
                continue
            if m["rows"] is None:
                m["rows"] = expected_rows
            elif m["rows"] != expected_rows:
                problems.append(f"{view}: {name}: {m['rows']} rows, expected {expected_rows}")
            if m["bytes"] is not None:
                if view in expected_bytes and m["bytes"] != expected_bytes[view]:
                    problems.append(f"{view}: {name}: {m['bytes']} bytes of JSON, "
                                    f"others saw {expected_bytes[view]}")
                expected_bytes.setdefault(view, m["bytes"])
            table.append((view, label, name, what, m))

    # Bounded memory: the raw contender on 1K, 100K and 1M rows of the same shape.
    memory = {}
    for view in MEMORY_VIEWS:
        found = [m for v, _, n, _, m in table if v == view and n == "fraisewire raw" and m]
        if found:
            memory[view] = found[0]["rss_kib"]
            continue
        log(f"{view}: fraisewire raw, peak RSS (warm-up + {MEMORY_RUNS} runs)")
        cmd = [os.path.join(args.build, "bench", "bench-fraise"), "raw",
               os.environ["FRAISE_TEST_URI"], view]
        m = measure_round_robin(args, [(view, "program", cmd)], MEMORY_RUNS, lambda msg: None)[view]
        if isinstance(m, Failed):
            problems.append(f"{view}: fraisewire raw: {m}")
        else:
            memory[view] = m["rss_kib"]

    log(f"latency: connect and first row (warm-up + {args.latency_iterations} each)")
    latency = {}
    try:
        out = subprocess.run([os.path.join(args.build, "bench", "bench-latency"),
                              os.environ["FRAISE_TEST_URI"], os.environ["FRAISE_TEST_URI_SCRAM"],
                              str(args.latency_iterations)],
                             check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            match = re.match(r"latency (.+)/(\w+) median_ms=(\S+) min_ms=(\S+) max_ms=(\S+)", line)
            if match:
                figure, lib = match.group(1), match.group(2)
                latency.setdefault(figure, {})[lib] = tuple(float(match.group(i)) for i in (3, 4, 5))
    except subprocess.CalledProcessError as exc:
        problems.append(f"bench-latency: exit status {exc.returncode}: {exc.stderr.strip()[:300]}")

    # ---- the report
    lines = []
    lines.append(f"Machine: {machine_description(args)}.")
    lines.append("")
    lines.append("Each figure is the median of N runs after one warm-up round (N = 3 for 1M "
                 "rows, 5 for the large rows); one process per run; the contenders take turns "
                 "(round-robin), so background load hits them alike. Same query text for every "
                 "contender: `SELECT data FROM <view>`. MB/s counts the JSON text delivered "
                 "(1 MB = 10^6 bytes). *vs server* = server-alone time / contender time and "
                 "*vs libpq* = libpq single-row time / contender time (throughput ratios, "
                 "higher is faster). *spread* = half the range of the timed runs, "
                 "relative to the median.")
    lines.append("")
    lines.append("| relation | contender | what it does | time (s) | spread | rows/s | MB/s | "
                 "peak RSS (MiB) | client CPU (s) | vs server | vs libpq single-row |")
    lines.append("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|")
    for view, label, name, what, m in table:
        if m is None:
            lines.append(f"| {label} | {name} | {what} | failed | | | | | | | |")
            continue
        server = next((x for v, _, n, _, x in table if v == view and n == SERVER and x), None)
        single = next((x for v, _, n, _, x in table if v == view and n == LIBPQ_SINGLE and x), None)
        nbytes = expected_bytes.get(view)
        rows_s = m["rows"] / m["wall"]
        mb_s = nbytes / m["wall"] / 1e6 if nbytes else None
        rss = m["rss_kib"] / 1024 if m["rss_kib"] is not None else None
        cpu = m["cpu"] if name != SERVER else None
        vs_server = server["wall"] / m["wall"] if server else None
        vs_single = single["wall"] / m["wall"] if single else None
        cpu_text = fmt(cpu, ".2f", "~0 (server side)")
        spread = (max(m["walls"]) - min(m["walls"])) / m["wall"] * 100
        lines.append(f"| {label} | {name} | {what} | {m['wall']:.3f} | ±{spread / 2:.0f} % | "
                     f"{rows_s:,.0f} | "
                     f"{fmt(mb_s, '.1f')} | {fmt(rss, '.1f')} | {cpu_text} | "
                     f"{fmt(vs_server, '.2f')} | {fmt(vs_single, '.2f')} |")
    lines.append("")

    if memory:
        parts = [f"{v.removeprefix('v_bench_').upper()} rows {kib / 1024:.2f} MiB"
                 for v, kib in memory.items()]
        text = "Bounded memory (fraisewire raw, peak RSS): " + ", ".join(parts)
        if "v_bench_1k" in memory and "v_bench_1m" in memory:
            growth = (memory["v_bench_1m"] - memory["v_bench_1k"]) / 1024
            verdict = "under" if growth < 1 else "NOT under"
            text += f"; growth 1K → 1M rows: {growth:+.2f} MiB ({verdict} the 1 MiB bound)"
        lines.append(text + ".")
        lines.append("")

    if latency:
        lines.append("Latency, median of "
                     f"{args.latency_iterations} after one warm-up (min–max in parentheses):")
        lines.append("")
        lines.append("| figure | fraisewire (ms) | libpq (ms) |")
        lines.append("|---|--:|--:|")
        for figure, libs in latency.items():
            cells = []
            for lib in ("fraisewire", "libpq"):
                if lib in libs:
                    med, lo, hi = libs[lib]
                    cells.append(f"{med:.3f} ({lo:.3f}–{hi:.3f})")
                else:
                    cells.append("—")
            title = figure
            if figure.startswith("connect/"):
                title = "connect, " + figure.split("/", 1)[1].replace("-", " ")
            elif figure.startswith("first-row/"):
                title = "first row, `" + figure.split("/", 1)[1] + "`"
            lines.append(f"| {title} | {cells[0]} | {cells[1]} |")
        lines.append("")

    if problems:
        lines.append("Problems:")
        lines.append("")
        lines.extend(f"- {p}" for p in problems)
        lines.append("")
    load_after = os.getloadavg()
    lines.append(f"Total benchmark time: {time.monotonic() - started:.0f} s; 1-minute load "
                 f"average {load_before[0]:.2f} before, {load_after[0]:.2f} after.")

    report = "\n".join(lines) + "\n"
    print(report, end="")
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write("# fraisewire benchmark results\n\n")
            f.write("Written by `bench/run.sh` (overwritten on every run); "
                    "see bench/README.md for what each contender does.\n\n")
            f.write(report)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
