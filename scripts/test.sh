#!/usr/bin/env bash
# Runs the whole test suite against a throwaway PostgreSQL 15 cluster.
#
#   scripts/test.sh [MESON TEST ARGS...]      e.g. scripts/test.sh --suite unit,
#                                             scripts/test.sh --setup valgrind --suite fault
#
# Installs missing Debian packages, configures and builds $FRAISE_BUILD_DIR
# (default: build), starts the test cluster, runs `meson test`, stops the
# cluster, and ends with one line: `N passed, N failed[, N skipped]`.
# Exits non-zero when anything failed. When CI is set in the environment it is
# passed on to the tests, which then fail instead of skipping when they cannot
# reach a server.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

BUILD_DIR=${FRAISE_BUILD_DIR:-build}
export FRAISE_BUILD_DIR=$BUILD_DIR

scripts/deps.sh

if [ -f "$BUILD_DIR/meson-private/coredata.dat" ]; then
  # Already configured: meson compile regenerates it when meson.build changed.
  :
else
  meson setup "$BUILD_DIR"
fi
meson compile -C "$BUILD_DIR" || { echo "test: the build failed" >&2; exit 1; }

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

# `--setup NAME` (e.g. valgrind) makes meson write testlog-NAME.json.
TESTLOG="$BUILD_DIR/meson-logs/testlog.json"
prev=""
for arg in "$@"; do
  case "$prev:$arg" in
    --setup:*) TESTLOG="$BUILD_DIR/meson-logs/testlog-$arg.json" ;;
    *:--setup=*) TESTLOG="$BUILD_DIR/meson-logs/testlog-${arg#--setup=}.json" ;;
  esac
  prev=$arg
done
rm -f "$TESTLOG"

meson_rc=0
meson test -C "$BUILD_DIR" --print-errorlogs --no-rebuild "$@" || meson_rc=$?

if [ "$meson_rc" -ne 0 ]; then
  echo "meson test exited with status $meson_rc" >&2
fi

# The summary line is the last line printed.
summary_rc=0
/usr/bin/python3 scripts/test-summary.py "$TESTLOG" || summary_rc=$?

if [ "$meson_rc" -ne 0 ] || [ "$summary_rc" -ne 0 ]; then
  exit 1
fi
