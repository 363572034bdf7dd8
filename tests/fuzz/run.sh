#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS (default 60) under ASan/UBSan:
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
# Builds into build-fuzz with clang. Each target starts from its seed corpus
# (tests/fuzz/corpus/<target>, copied into build-fuzz/corpus/<target>, where
# new inputs go); its output goes to build-fuzz/fuzz-<target>.log. A crash, a
# leak, an UBSan report or a timeout leaves a crash-*, leak-* or timeout-* file
# in build-fuzz/corpus and the end of the log on stderr: add the input to
# tests/fuzz/corpus/<target>/ once fixed, so the unit suite replays it.
# Every target runs even after one failed; the last line is
# `fuzz: N targets, N failed` and the status is non-zero when one failed.
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

# UBSan reports are crashes; GLib's slice allocator would hide leaks from LSan.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:print_summary=1}
export G_SLICE=always-malloc

failed=()
for target in "${targets[@]}"; do
  corpus="build-fuzz/corpus/$target"
  log="build-fuzz/fuzz-$target.log"
  mkdir -p "$corpus"
  cp -n "tests/fuzz/corpus/$target"/* "$corpus"/ 2>/dev/null || true
  if (cd build-fuzz/corpus && "../tests/fuzz/fuzz-$target" -max_total_time="$seconds" \
        -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$target") \
       >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz-$target: ok, ${runs:-?} runs in ${seconds}s, corpus of $(ls "$corpus" | wc -l)"
  else
    failed+=("$target")
    echo "fuzz-$target: FAILED (log: $log)"
    tail -n 60 "$log" >&2
  fi
done

echo "fuzz: ${#targets[@]} targets, ${#failed[@]} failed${failed[*]:+ (${failed[*]})}"
[ ${#failed[@]} -eq 0 ]
