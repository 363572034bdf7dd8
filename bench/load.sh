#!/usr/bin/env bash
# Load benchmark: 100 and 10 concurrent streams of 100,000 rows on one main
# context, against as many COPY (...) TO '/dev/null' run by the server.
#
#   bench/load.sh [ROUNDS]        (default 3 rounds after one warm-up round)
#
# Builds bench-load in the release build directory of bench/run.sh
# (build-bench, or $FRAISE_BENCH_BUILD_DIR), starts a throwaway cluster
# (scripts/pg-harness.sh, stopped on exit), and runs, round-robin, for 100
# then 10 streams: fraisewire (bench-load fraise, trust Unix socket) and the
# server alone (bench-load copy, as the superuser: COPY to a file needs it).
# Prints the medians and their ratio, and writes them to
# bench/load-results.md. Figures only: it fails only when a contender fails
# or miscounts.
set -euo pipefail

# shellcheck source=bench/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ROUNDS=${1:-3}
ROWS=100000

log() { echo "load: $*" >&2; }

bench_build bench/bench-load bench/bench-run
bench_cluster
RESULTS=$(mktemp)
bench_on_exit 'rm -f "$RESULTS"'
LOAD=$BUILD_DIR/bench/bench-load
for streams in 100 10; do
  for round in $(seq 0 "$ROUNDS"); do
    for contender in fraise copy; do
      uri=$FRAISE_TEST_URI
      [ "$contender" = copy ] && uri=$FRAISE_TEST_SUPERUSER_URI
      line=$("$LOAD" "$contender" "$uri" "$streams" "$ROWS")
      log "$streams streams, round $round, $contender: $line"
      # Round 0 is the warm-up.
      [ "$round" -gt 0 ] && echo "$streams $contender $line" >>"$RESULTS"
    done
  done
done

"$PYTHON" - "$RESULTS" "$ROUNDS" "$ROWS" "$(nproc)" <<'EOF_PY' | tee "$SRC_DIR/bench/load-results.md"
import statistics, sys, time

path, rounds, rows, cores = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
runs = {}
for line in open(path):
    streams, contender, *pairs = line.split()
    fields = dict(p.split("=") for p in pairs)
    runs.setdefault((int(streams), contender), []).append(fields)

print(f"Load run of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {cores} cores, "
      f"PostgreSQL 15, Unix socket; {rows:,} rows per stream; medians of {rounds} rounds "
      "after one warm-up, contenders round-robin.")
print()
print("| streams | contender | time (s) | rows/s | client CPU (s) | peak RSS (MiB) | vs server |")
print("|--:|---|--:|--:|--:|--:|--:|")
for streams in (100, 10):
    server = statistics.median(float(r["wall"]) for r in runs[(streams, "copy")])
    for contender, name in (("copy", "server alone: COPY (…) TO '/dev/null'"),
                            ("fraise", "fraisewire, one main context")):
        rs = runs[(streams, contender)]
        wall = statistics.median(float(r["wall"]) for r in rs)
        cpu = statistics.median(float(r["cpu"]) for r in rs)
        rss = max(int(r["maxrss_kib"]) for r in rs) / 1024
        total = int(rs[0]["rows"])
        rss_text = f"{rss:.1f}" if contender == "fraise" else "—"
        cpu_text = f"{cpu:.2f}" if contender == "fraise" else "~0 (server side)"
        print(f"| {streams} | {name} | {wall:.3f} | {total / wall:,.0f} | {cpu_text} | "
              f"{rss_text} | {server / wall:.2f} |")
EOF_PY
