#!/usr/bin/env bash
# Builds a program from the uninstalled fraisewire-1.pc (meson-uninstalled/ in
# the build directory) and the documented #include <fraisewire/fraisewire.h>,
# then runs it against the library in the build tree. No server needed.
#
#   check-uninstalled.sh BUILD_ROOT
set -euo pipefail

build_root=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out="$build_root/tests/build"
mkdir -p "$out"

export PKG_CONFIG_PATH="$build_root/meson-uninstalled"
cflags=$(pkg-config --cflags fraisewire-1)
libs=$(pkg-config --libs fraisewire-1)
libdir=$(pkg-config --variable=prefix fraisewire-1)/fraisewire
program="$out/uninstalled-client"
sanitize=${FRAISE_TEST_SANITIZE:+-fsanitize=$FRAISE_TEST_SANITIZE}

echo "TAP version 13"
echo "1..2"
# shellcheck disable=SC2086
if ${CC:-cc} -Wall -Wextra -Werror $sanitize -o "$program" "$here/uninstalled-client.c" $cflags $libs; then
  echo "ok 1 - compiled and linked with the uninstalled fraisewire-1.pc"
else
  echo "not ok 1 - compiled and linked with the uninstalled fraisewire-1.pc"
  exit 1
fi
if output=$(LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$program"); then
  echo "ok 2 - ${output#ok: }"
else
  echo "not ok 2 - $output"
  exit 1
fi
