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

# shellcheck source=bench/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

log() { echo "bench-tools: $*" >&2; }

bench_build bench/bench-run bench/bench-first-row fraisewire/tools/fraise-launch fraisewire/tools/fraise-inspect

bench_cluster

log "loading bench/setup.sql"
PGOPTIONS='--client-min-messages=warning' \
  "$PG_BIN/psql" "$FRAISE_TEST_SUPERUSER_URI" -X -q -v ON_ERROR_STOP=1 -f "$SRC_DIR/bench/setup.sql"

status=0
"$PYTHON" "$SRC_DIR/bench/tools.py" --build "$BUILD_DIR" --psql "$PG_BIN/psql" \
  --output "$SRC_DIR/bench/tools-results.md" "$@" || status=1
"$PYTHON" "$SRC_DIR/bench/pushdown.py" --build "$BUILD_DIR" --psql "$PG_BIN/psql" \
  --output "$SRC_DIR/bench/pushdown-results.md" "$@" || status=1
exit $status
