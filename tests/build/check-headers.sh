#!/usr/bin/env bash
# Compiles headers-c99.c, which only includes <fraisewire/fraisewire.h>, as
# C99 with -pedantic-errors -Werror against the build tree's headers (the
# source root for <fraisewire/...>, the build directory for the generated
# fraise-version.h and fraise-enum-types.h), then as C++ when a C++ compiler
# is available.
#
#   check-headers.sh SOURCE_ROOT BUILD_ROOT
set -euo pipefail

source_root=$1
build_root=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out="$build_root/tests/build"
mkdir -p "$out"

deps=$(pkg-config --cflags gio-2.0 json-glib-1.0)
includes="-I$source_root -I$build_root/fraisewire"

echo "TAP version 13"
echo "1..2"

# shellcheck disable=SC2086
if ${CC:-cc} -std=c99 -pedantic-errors -Werror -Wall -Wextra $includes $deps \
     -c -o "$out/headers-c99.o" "$here/headers-c99.c"; then
  echo "ok 1 - public headers compile as C99 with -pedantic-errors"
else
  echo "not ok 1 - public headers compile as C99 with -pedantic-errors"
  exit 1
fi

cxx=${CXX:-c++}
if ! command -v "$cxx" >/dev/null 2>&1; then
  echo "ok 2 # SKIP no C++ compiler"
  exit 0
fi
# shellcheck disable=SC2086
if "$cxx" -x c++ -std=c++11 -pedantic-errors -Werror -Wall -Wextra $includes $deps \
     -c -o "$out/headers-cxx.o" "$here/headers-c99.c"; then
  echo "ok 2 - public headers compile as C++11"
else
  echo "not ok 2 - public headers compile as C++11"
  exit 1
fi
