#!/usr/bin/env bash
# Soak: streams continuously and prints a leak and latency report.
#
#   bench/soak.sh [--minutes N] [--interval S] [--workers W] [--seed X]
#
# Default 10 minutes, one report line a minute (bench-soak.c says what each
# figure is); a one-hour soak is `bench/soak.sh --minutes 60`. Builds
# bench-soak in the release build directory of bench/run.sh (build-bench, or
# $FRAISE_BENCH_BUILD_DIR), starts a throwaway cluster (scripts/pg-harness.sh,
# stopped on exit) and runs it on the trust Unix-socket URI. The report goes
# to stdout and to bench/soak-results.md. Exits non-zero when a query
# miscounted or failed, never because of a figure.
set -euo pipefail

# shellcheck source=bench/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

log() { echo "soak: $*" >&2; }

bench_build bench/bench-soak

bench_cluster

{
  echo "Soak run of $(date -u '+%Y-%m-%d %H:%M UTC'): $(nproc) cores, PostgreSQL 15, Unix socket"
  echo
  "$BUILD_DIR/bench/bench-soak" "$FRAISE_TEST_URI" "$@"
} | tee "$SRC_DIR/bench/soak-results.md"
