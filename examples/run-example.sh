#!/usr/bin/env bash
# Runs one example against the test server: `run-example.sh PROGRAM [ARGS...]`.
# Without extra arguments the program gets $FRAISE_TEST_URI. An argument of the
# form @NAME@ is replaced by the value of the environment variable NAME.
# Without a server the example is skipped (exit 77), or fails under CI.
set -euo pipefail

program=$1
shift

if [ -z "${FRAISE_TEST_URI:-}" ]; then
  echo "the test server is not configured (run through scripts/test.sh)"
  if [ -n "${CI:-}" ]; then exit 1; fi
  exit 77
fi

args=()
if [ $# -eq 0 ]; then
  args=("$FRAISE_TEST_URI")
fi
for arg in "$@"; do
  if [[ $arg =~ ^@([A-Z_]+)@$ ]]; then
    args+=("${!BASH_REMATCH[1]}")
  else
    args+=("$arg")
  fi
done
exec "$program" "${args[@]}"
