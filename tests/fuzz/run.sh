#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS (default 60) under ASan/UBSan:
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
# Builds into build-fuzz with clang. New inputs go to build-fuzz/corpus/<target>;
# a crash leaves crash-* files there: add the input to tests/fuzz/corpus/<target>/
# once fixed, so the unit suite replays it.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(proto json conninfo scram description expr expr-sql)

if [ ! -f build-fuzz/meson-private/coredata.dat ]; then
  CC=clang meson setup build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined \
    -Db_lundef=false --buildtype=debugoptimized
fi
meson compile -C build-fuzz

for target in "${targets[@]}"; do
  corpus="build-fuzz/corpus/$target"
  mkdir -p "$corpus"
  cp -n "tests/fuzz/corpus/$target"/* "$corpus"/ 2>/dev/null || true
  echo "== fuzz-$target for ${seconds}s"
  (cd build-fuzz/corpus && "../tests/fuzz/fuzz-$target" -max_total_time="$seconds" \
     -max_len=65536 -timeout=10 -rss_limit_mb=2048 "$target")
done
