#!/usr/bin/env bash
# Installs the Debian 12 packages needed to build, test and demo fraisewire.
# Idempotent: does nothing (and touches no network) when everything is present.
set -euo pipefail

PACKAGES=(
  build-essential
  pkg-config
  meson
  ninja-build
  libglib2.0-dev
  libjson-glib-dev
  libgnutls28-dev
  glib-networking
  gnutls-bin
  openssl
  nftables
  gobject-introspection
  libgirepository1.0-dev
  gettext
  postgresql-15
  postgresql-client-15
  pgbouncer
  libpq-dev
  jq
  python3
  python3-gi
  python3-psycopg
  gjs
  valac
  util-linux
  libgtk-4-dev
  gir1.2-gtk-4.0
  xvfb
  xauth
  x11-apps
  gi-docgen
  clang-format
  go-md2man
)

# One dpkg-query call for the whole list; unknown packages go to stderr.
installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${PACKAGES[@]}" 2>/dev/null || true)
missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! grep -qxF "$pkg install ok installed" <<<"$installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "deps: installing ${missing[*]}" >&2

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "deps: missing packages (${missing[*]}) and not root, no sudo available" >&2
    exit 1
  fi
fi

"${SUDO[@]}" apt-get update
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${missing[@]}"
