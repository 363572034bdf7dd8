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

SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${FRAISE_BENCH_BUILD_DIR:-$SRC_DIR/build-bench}
PG_BIN=${FRAISE_PG_BIN:-/usr/lib/postgresql/15/bin}
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3

log() { echo "bench: $*" >&2; }

"$SRC_DIR/scripts/deps.sh"

if [ -f "$BUILD_DIR/build.ninja" ]; then
  meson configure "$BUILD_DIR" -Dbuildtype=release -Dbench=true >/dev/null
else
  meson setup "$BUILD_DIR" "$SRC_DIR" --buildtype=release -Dbench=true >/dev/null
fi
# Only the benchmark programs (and the library they link): the rest of the
# tree is not needed here.
log "building in $BUILD_DIR"
ninja -C "$BUILD_DIR" bench/bench-run bench/bench-fraise bench/bench-libpq bench/bench-latency \
  bench/json-parse-bench >/dev/null

ENV_SH=$("$SRC_DIR/scripts/pg-harness.sh" start "$BUILD_DIR")
# shellcheck source=/dev/null
. "$ENV_SH"
trap '"$SRC_DIR/scripts/pg-harness.sh" stop "$FRAISE_PG_DIR"' EXIT

log "loading bench/setup.sql (1M + 1K large rows)"
t0=$(date +%s)
PGOPTIONS='--client-min-messages=warning' \
  "$PG_BIN/psql" "$FRAISE_TEST_SUPERUSER_URI" -X -q -v ON_ERROR_STOP=1 -f "$SRC_DIR/bench/setup.sql"
log "relations ready in $(($(date +%s) - t0)) s"

"$PYTHON" "$SRC_DIR/bench/bench.py" --build "$BUILD_DIR" --psql "$PG_BIN/psql" \
  --output "$SRC_DIR/bench/results.md"
