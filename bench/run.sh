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

# The node-postgres contender: its packages from the npm registry, in the
# build directory (not the source tree); skipped when node or npm is missing.
NODE_DIR=""
if command -v node >/dev/null && command -v npm >/dev/null; then
  NODE_DIR=$BUILD_DIR/node
  mkdir -p "$NODE_DIR"
  cp "$SRC_DIR/bench/node/package.json" "$SRC_DIR/bench/node/stream.js" "$NODE_DIR/"
  log "installing node-postgres and pg-query-stream (npm)"
  if ! (cd "$NODE_DIR" && npm install --no-audit --no-fund --loglevel=error >/dev/null); then
    log "npm install failed: the node-postgres contender is skipped"
    NODE_DIR=""
  fi
else
  log "node or npm not found: the node-postgres contender is skipped"
fi

"$PYTHON" "$SRC_DIR/bench/bench.py" --build "$BUILD_DIR" --psql "$PG_BIN/psql" \
  ${NODE_DIR:+--node-dir "$NODE_DIR"} \
  --output "$SRC_DIR/bench/results.md"
