#!/usr/bin/env bash
# End-to-end benchmark: fraisewire against libpq, psql and the server alone.
#
#   bench/run.sh
#
# Installs missing dependencies (scripts/deps.sh), configures and builds a
# release build directory with the benchmarks (build-bench, or
# $FRAISE_BENCH_BUILD_DIR), starts a throwaway cluster (scripts/pg-harness.sh,
# stopped on exit), loads bench/setup.sql as the superuser, runs every
# contender (bench/bench.py), prints the results and writes them to
# bench/results.md. Takes about 6 minutes on 2 cores. Figures only: it never
# fails on timing.
set -euo pipefail

# shellcheck source=bench/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

log() { echo "bench: $*" >&2; }

# Only the benchmark programs (and the library they link): the rest of the
# tree is not needed here.
bench_build bench/bench-run bench/bench-fraise bench/bench-libpq bench/bench-latency bench/json-parse-bench

bench_cluster

log "loading bench/setup.sql (1M + 1K large rows)"
t0=$(date +%s)
PGOPTIONS='--client-min-messages=warning' \
  "$PG_BIN/psql" "$FRAISE_TEST_SUPERUSER_URI" -X -q -v ON_ERROR_STOP=1 -f "$SRC_DIR/bench/setup.sql"
log "relations ready in $(($(date +%s) - t0)) s"

"$PYTHON" "$SRC_DIR/bench/bench.py" --build "$BUILD_DIR" --psql "$PG_BIN/psql" \
  --output "$SRC_DIR/bench/results.md"
