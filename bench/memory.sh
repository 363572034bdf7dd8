#!/usr/bin/env bash
# Memory benchmark: peak RSS against max-memory with large rows, and the time
# to the first large row, fraisewire beside libpq.
#
#   bench/memory.sh
#
# Builds the benchmark programs in the release build directory of
# bench/run.sh (build-bench, or $FRAISE_BENCH_BUILD_DIR), starts a throwaway
# cluster (scripts/pg-harness.sh, stopped on exit), loads bench/setup.sql
# (v_bench_large: 1,000 rows of ~105 KB) and a view of rows of 1 to 8 MiB,
# then runs each contender in its own process under bench-run (peak RSS):
# - fraisewire raw (next_sync + get_text) with max-memory 1, 8 (the default)
#   and 32 MiB, against the bound 2 × max-memory + 8 MiB above the baseline
#   (the same program streaming 1,000 small rows);
# - libpq single-row mode, for reference;
# then bench-latency (first row of `v_bench_large LIMIT 10`, 100 runs each).
# Writes bench/memory-results.md. Figures only: it fails only when a
# contender fails.
set -euo pipefail

# shellcheck source=bench/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

log() { echo "memory: $*" >&2; }

bench_build bench/bench-fraise bench/bench-libpq bench/bench-run bench/bench-latency

bench_cluster
RESULTS=$(mktemp)
bench_on_exit 'rm -f "$RESULTS"'

log "loading bench/setup.sql"
PGOPTIONS='--client-min-messages=warning' \
  "$PG_BIN/psql" "$FRAISE_TEST_SUPERUSER_URI" -X -q -v ON_ERROR_STOP=1 -f "$SRC_DIR/bench/setup.sql"
# 24 rows of 1 to 8 MiB of JSON text (8 MiB less 1 KiB at most, so that the
# largest row fits the default max-memory), made by the server.
"$PG_BIN/psql" "$FRAISE_TEST_SUPERUSER_URI" -X -q -v ON_ERROR_STOP=1 -c "
  CREATE OR REPLACE VIEW v_bench_mib AS
    SELECT json_build_object('i', i, 'pad', repeat('x', (i % 8 + 1) * 1048576 - 1024)) AS data
    FROM generate_series(0, 23) AS i;
  GRANT SELECT ON v_bench_mib TO PUBLIC;"

RUN=$BUILD_DIR/bench/bench-run
FRAISE=$BUILD_DIR/bench/bench-fraise
LIBPQ=$BUILD_DIR/bench/bench-libpq

# Runs one contender: NAME SOURCE MAX_MEMORY COMMAND...
measure() {
  local name=$1 source=$2 max=$3 out
  shift 3
  out=$(FRAISE_BENCH_MAX_MEMORY=$max "$RUN" "$@" 2>&1 >/dev/null | tail -1)
  case "$out" in
    *status=0*) ;;
    *) log "$name on $source failed: $out"; exit 1 ;;
  esac
  log "$name $source max-memory=$max: $out"
  echo "$name $source $max ${out#bench-run: }" >>"$RESULTS"
}

for round in 1 2 3; do
  measure baseline v_bench_1k 8388608 "$FRAISE" raw "$FRAISE_TEST_URI" v_bench_1k
  for max in 1048576 8388608 33554432; do
    measure fraisewire v_bench_large "$max" "$FRAISE" raw "$FRAISE_TEST_URI" v_bench_large
  done
  for max in 8388608 33554432; do
    measure fraisewire v_bench_mib "$max" "$FRAISE" raw "$FRAISE_TEST_URI" v_bench_mib
  done
  measure libpq v_bench_large 0 "$LIBPQ" single "$FRAISE_TEST_URI" "SELECT data FROM v_bench_large"
  measure libpq v_bench_mib 0 "$LIBPQ" single "$FRAISE_TEST_URI" "SELECT data FROM v_bench_mib"
done

log "first-row latency (bench-latency)"
"$BUILD_DIR/bench/bench-latency" "$FRAISE_TEST_URI" "$FRAISE_TEST_URI_SCRAM" 100 |
  grep 'first-row/SELECT data FROM v_bench_large' | sed 's/^/latency /' >>"$RESULTS"

"$PYTHON" - "$RESULTS" "$(nproc)" <<'EOF_PY' | tee "$SRC_DIR/bench/memory-results.md"
import re, sys, time

path, cores = sys.argv[1], sys.argv[2]
rss, latency = {}, {}
for line in open(path):
    words = line.split()
    if words[0] == "latency":
        m = re.search(r"/(fraisewire|libpq) (.*)$", line)
        latency[m.group(1)] = dict(w.split("=") for w in m.group(2).split())
        continue
    name, source, max_memory, *pairs = words
    fields = dict(p.split("=") for p in pairs)
    rss.setdefault((name, source, int(max_memory)), []).append(int(fields["maxrss_kib"]))

mib = 1024.0
base = max(rss[("baseline", "v_bench_1k", 8388608)]) / mib
print(f"Memory run of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {cores} cores, "
      "PostgreSQL 15, Unix socket; peak RSS is the highest of 3 runs, each in its own process.")
print()
print(f"Baseline (fraisewire streaming 1,000 rows of ~450 bytes): {base:.1f} MiB.")
print()
print("| rows | contender | max-memory | peak RSS (MiB) | above baseline (MiB) | bound 2 × max-memory + 8 MiB | within |")
print("|---|---|--:|--:|--:|--:|---|")
labels = {"v_bench_large": "1,000 × ~105 KB", "v_bench_mib": "24 × 1–8 MiB"}
for source in ("v_bench_large", "v_bench_mib"):
    for (name, src, max_memory), values in sorted(rss.items()):
        if src != source or name == "baseline":
            continue
        peak = max(values) / mib
        if name == "libpq":
            print(f"| {labels[source]} | libpq single-row | – | {peak:.1f} | {peak - base:.1f} | – | – |")
            continue
        bound = 2 * max_memory / 1048576 + 8
        growth = peak - base
        print(f"| {labels[source]} | fraisewire raw | {max_memory // 1048576} MiB | {peak:.1f} | "
              f"{growth:.1f} | {bound:.0f} | {'yes' if growth <= bound else 'NO'} |")
print()
f, l = latency.get("fraisewire"), latency.get("libpq")
if f and l:
    print("First row of `SELECT data FROM v_bench_large LIMIT 10` (~105 KB rows), median of 100 "
          "after one warm-up (min–max):")
    print()
    print("| contender | ms | ratio (libpq ÷ contender) |")
    print("|---|--:|--:|")
    for name, fields in (("fraisewire", f), ("libpq", l)):
        ratio = float(l["median_ms"]) / float(fields["median_ms"])
        print(f"| {name} | {float(fields['median_ms']):.3f} ({float(fields['min_ms']):.3f}–"
              f"{float(fields['max_ms']):.3f}) | {ratio:.2f}× |")
EOF_PY
