#!/usr/bin/env bash
# Runs the demo against a throwaway PostgreSQL 15 cluster holding the demo
# database (data/demo.sql): fraise-launch runs a pipeline on it, which filters
# the users (the active ones aged 30 or more), keeps four fields of each and
# writes them as JSON Lines to stdout; the progress line (on a terminal) and
# the final figures (--stats: rows, bytes, rows/s, MB/s, each element's
# counters) go to stderr.
#
#   scripts/demo.sh [DESCRIPTION...]   another pipeline, e.g.
#                                      scripts/demo.sh 'query source=v_project ! limit count=3 ! jsonl-sink'
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

if [ $# -gt 0 ]; then
  DESCRIPTION=("$@")
else
  DESCRIPTION=(query source=v_user ! filter "expr=active == true && age >= 30" !
    project fields=id,name,email,address.city ! jsonl-sink)
fi
BUILD_DIR=${FRAISE_BUILD_DIR:-build}
export FRAISE_BUILD_DIR=$BUILD_DIR

scripts/deps.sh >&2

if [ ! -f "$BUILD_DIR/meson-private/coredata.dat" ]; then
  meson setup "$BUILD_DIR" >&2
fi
meson compile -C "$BUILD_DIR" >&2 || { echo "demo: the build failed" >&2; exit 1; }

LAUNCH="$BUILD_DIR/fraisewire/tools/fraise-launch"
[ -x "$LAUNCH" ] || { echo "demo: $LAUNCH was not built" >&2; exit 1; }

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

"$LAUNCH" --uri "$FRAISE_TEST_URI_DEMO" --stats "${DESCRIPTION[@]}"
