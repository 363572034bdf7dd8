#!/usr/bin/env bash
# The `format` test: every C source and header of the project is formatted
# as .clang-format says (clang-format 14, Debian 12's). Prints the files that
# drifted and the first lines of each difference; `clang-format -i FILE`
# mends one.
#
#   tests/check-format.sh SOURCE_ROOT
set -uo pipefail

root=${1:?usage: check-format.sh SOURCE_ROOT}
cd "$root" || exit 1

tool=""
for candidate in clang-format-14 clang-format; do
  if command -v "$candidate" >/dev/null 2>&1; then
    tool=$candidate
    break
  fi
done
# Another major version formats differently: only 14 is a verdict.
if [ -z "$tool" ] || ! "$tool" --version | grep -q 'version 14\.'; then
  echo "check-format: clang-format 14 is not installed (scripts/deps.sh installs it)" >&2
  [ -n "${CI:-}" ] && exit 1
  exit 77
fi

mapfile -t files < <(find fraisewire tests examples bench -type f \( -name '*.c' -o -name '*.h' \) \
                       -not -path 'tests/fuzz/corpus/*' | sort)
[ ${#files[@]} -gt 0 ] || { echo "check-format: no sources found under $root" >&2; exit 1; }

drifted=0
for f in "${files[@]}"; do
  if ! diff -u "$f" <("$tool" --style=file "$f") >/tmp/check-format.$$ 2>&1; then
    drifted=$((drifted + 1))
    echo "check-format: $f differs from clang-format's output:"
    head -n 20 /tmp/check-format.$$ | sed 's/^/  /'
  fi
done
rm -f /tmp/check-format.$$
echo "check-format: ${#files[@]} files checked, $drifted drifted"
[ "$drifted" -eq 0 ]
