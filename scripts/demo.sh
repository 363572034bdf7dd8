#!/usr/bin/env bash
# Runs the demo against a throwaway PostgreSQL 15 cluster holding the demo
# database (data/demo.sql): streams the rows of a view as JSON Lines to stdout
# and prints the rows/s figure to stderr.
#
#   scripts/demo.sh [VIEW]        VIEW defaults to v_user (also: v_project)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

VIEW=${1:-v_user}
BUILD_DIR=${FRAISE_BUILD_DIR:-build}
export FRAISE_BUILD_DIR=$BUILD_DIR

scripts/deps.sh >&2

if [ ! -f "$BUILD_DIR/meson-private/coredata.dat" ]; then
  meson setup "$BUILD_DIR" >&2
fi
meson compile -C "$BUILD_DIR" >&2 || { echo "demo: the build failed" >&2; exit 1; }

DEMO="$BUILD_DIR/examples/fraise-demo"
[ -x "$DEMO" ] || { echo "demo: $DEMO was not built" >&2; exit 1; }

PG_ENV=""
cleanup() {
  if [ -n "$PG_ENV" ]; then
    scripts/pg-harness.sh stop "$(dirname "$PG_ENV")" || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PG_ENV=$(scripts/pg-harness.sh start "$BUILD_DIR")
# shellcheck source=/dev/null
. "$PG_ENV"

"$DEMO" "$FRAISE_TEST_URI_DEMO" "$VIEW"
