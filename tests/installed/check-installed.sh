#!/usr/bin/env bash
# Installs the library into a staging directory, builds a program from
# fraisewire-1.pc alone, and runs it against the test server: trust over the
# Unix socket, SCRAM-SHA-256 over TCP, and a wrong password.
set -euo pipefail

build_root=$1
source_dir=$2

if [ -z "${FRAISE_TEST_URI:-}" ] || [ -z "${FRAISE_TEST_URI_SCRAM:-}" ]; then
  echo "the test server is not configured (run through scripts/test.sh)"
  if [ -n "${CI:-}" ]; then exit 1; fi
  exit 77
fi

stage="$build_root/tests/installed-stage"
rm -rf "$stage"
DESTDIR="$stage" meson install -C "$build_root" --no-rebuild --quiet >/dev/null

pcdir=$(dirname "$(find "$stage" -name fraisewire-1.pc | head -n 1)")
libdir=$(dirname "$(find "$stage" -name 'libfraisewire-1.so' | head -n 1)")
prefix=$(pkg-config --variable=prefix "$pcdir/fraisewire-1.pc")

# A copy of the installed .pc file whose prefix points into the staging directory.
mkdir -p "$stage/pkgconfig"
sed "s#^prefix=.*#prefix=$stage$prefix#" "$pcdir/fraisewire-1.pc" > "$stage/pkgconfig/fraisewire-1.pc"
export PKG_CONFIG_PATH="$stage/pkgconfig"
cflags=$(pkg-config --cflags fraisewire-1)
libs=$(pkg-config --libs fraisewire-1)
program="$build_root/tests/installed-stage/check-client"
# The sanitizers of the library, when it was built with some (set by meson.build).
sanitize=${FRAISE_TEST_SANITIZE:+-fsanitize=$FRAISE_TEST_SANITIZE}
# shellcheck disable=SC2086
cc -Wall -Wextra -Werror $sanitize -o "$program" "$source_dir/check-client.c" $cflags $libs

wrong_uri=$(printf '%s' "$FRAISE_TEST_URI_SCRAM" | sed -E 's#(://[^:/@]+):[^@]*@#\1:not-the-password@#')
LD_LIBRARY_PATH="$libdir" "$program" "$FRAISE_TEST_URI" "$FRAISE_TEST_URI_SCRAM" "$wrong_uri"
