#!/usr/bin/env bash
# fraise-launch against psql and jq on 1M rows (bench/tools.py), and filter
# push-down against psql and client-side filtering (bench/pushdown.py).
#
#   bench/tools.sh [--runs N]
#
# Installs missing dependencies (scripts/deps.sh, jq included),
# configures and builds the release build directory of bench/run.sh
# (build-bench, or $FRAISE_BENCH_BUILD_DIR) with the tools and bench-run,
# starts a throwaway cluster (scripts/pg-harness.sh, stopped on exit), loads
# bench/setup.sql as the superuser, runs bench/tools.py and bench/pushdown.py,
# prints the results and writes them to bench/tools-results.md and
# bench/pushdown-results.md. Figures only: it never fails on
# timing, only when a contender fails or the filtering contenders disagree.
set -euo pipefail

SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${FRAISE_BENCH_BUILD_DIR:-$SRC_DIR/build-bench}
PG_BIN=${FRAISE_PG_BIN:-/usr/lib/postgresql/15/bin}
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3

log() { echo "bench-tools: $*" >&2; }

"$SRC_DIR/scripts/deps.sh"

if [ -f "$BUILD_DIR/build.ninja" ]; then
  meson configure "$BUILD_DIR" -Dbuildtype=release -Dbench=true >/dev/null
else
  meson setup "$BUILD_DIR" "$SRC_DIR" --buildtype=release -Dbench=true >/dev/null
fi
log "building in $BUILD_DIR"
ninja -C "$BUILD_DIR" bench/bench-run bench/bench-first-row fraisewire/tools/fraise-launch fraisewire/tools/fraise-inspect \
  >/dev/null

ENV_SH=$("$SRC_DIR/scripts/pg-harness.sh" start "$BUILD_DIR")
# shellcheck source=/dev/null
. "$ENV_SH"
trap '"$SRC_DIR/scripts/pg-harness.sh" stop "$FRAISE_PG_DIR"' EXIT

log "loading bench/setup.sql"
PGOPTIONS='--client-min-messages=warning' \
  "$PG_BIN/psql" "$FRAISE_TEST_SUPERUSER_URI" -X -q -v ON_ERROR_STOP=1 -f "$SRC_DIR/bench/setup.sql"

status=0
"$PYTHON" "$SRC_DIR/bench/tools.py" --build "$BUILD_DIR" --psql "$PG_BIN/psql" \
  --output "$SRC_DIR/bench/tools-results.md" "$@" || status=1
"$PYTHON" "$SRC_DIR/bench/pushdown.py" --build "$BUILD_DIR" --psql "$PG_BIN/psql" \
  --output "$SRC_DIR/bench/pushdown-results.md" "$@" || status=1
exit $status
