# bench/common.sh: what the benchmark scripts share; they source it.
#
#   bench_build TARGET...   installs missing packages (scripts/deps.sh),
#                           configures the release build directory with the
#                           benchmarks (build-bench, or $FRAISE_BENCH_BUILD_DIR)
#                           and builds the ninja TARGETs there
#   bench_cluster           starts a throwaway cluster (scripts/pg-harness.sh)
#                           and loads its environment; it is stopped on exit
#   bench_on_exit COMMAND   one more command to run on exit
#
# Sets SRC_DIR, BUILD_DIR, PG_BIN and PYTHON. The script defines log().

SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${FRAISE_BENCH_BUILD_DIR:-$SRC_DIR/build-bench}
PG_BIN=${FRAISE_PG_BIN:-/usr/lib/postgresql/15/bin}
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3

BENCH_EXIT_COMMANDS=()

bench_run_exit_commands() {
  local i
  for ((i = ${#BENCH_EXIT_COMMANDS[@]} - 1; i >= 0; i--)); do
    eval "${BENCH_EXIT_COMMANDS[$i]}" || true
  done
}
trap bench_run_exit_commands EXIT

bench_on_exit() { BENCH_EXIT_COMMANDS+=("$1"); }

bench_build() {
  "$SRC_DIR/scripts/deps.sh"
  if [ -f "$BUILD_DIR/build.ninja" ]; then
    meson configure "$BUILD_DIR" -Dbuildtype=release -Dbench=true >/dev/null
  else
    meson setup "$BUILD_DIR" "$SRC_DIR" --buildtype=release -Dbench=true >/dev/null
  fi
  log "building in $BUILD_DIR"
  ninja -C "$BUILD_DIR" "$@" >/dev/null
}

bench_cluster() {
  local env_sh
  env_sh=$("$SRC_DIR/scripts/pg-harness.sh" start "$BUILD_DIR")
  # shellcheck source=/dev/null
  . "$env_sh"
  bench_on_exit '"$SRC_DIR/scripts/pg-harness.sh" stop "$FRAISE_PG_DIR"'
}
