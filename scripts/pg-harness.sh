#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster for the test suite and the demo.
#
#   scripts/pg-harness.sh start [BUILD_DIR]   create, start and load a cluster;
#                                             prints the path of its env.sh
#   scripts/pg-harness.sh stop  [PG_DIR]      stop the cluster and remove its directory
#   scripts/pg-harness.sh env   [PG_DIR]      print the cluster's env.sh
#   scripts/pg-harness.sh restart fast|immediate [PG_DIR]
#                                             restart the server (pg_ctl restart -m
#                                             MODE) and wait until it accepts again
#
# Where the cluster lives: $FRAISE_PG_DIR if set; otherwise, as root, a fresh
# /tmp/fraise-pg.XXXXXX owned by the unprivileged `postgres` user (the server
# refuses to run as root, and a checkout under /root is not reachable by other
# users); otherwise BUILD_DIR/pg (BUILD_DIR defaults to $FRAISE_BUILD_DIR, then
# ./build). `stop` and `env` take the cluster directory as argument or from
# $FRAISE_PG_DIR.
#
# env.sh exports FRAISE_PG_DIR, FRAISE_TEST_PORT, FRAISE_TEST_HOST,
# FRAISE_TEST_SOCKET_DIR, FRAISE_TEST_URI (trust, Unix socket, db fraise_test),
# FRAISE_TEST_URI_SCRAM, FRAISE_TEST_URI_MD5, FRAISE_TEST_URI_PASSWORD (TCP,
# one authentication method each), FRAISE_TEST_URI_TLS (scram over TLS,
# verify-full), FRAISE_TEST_URI_DEMO (trust, Unix socket, db demo),
# FRAISE_TEST_SUPERUSER_URI, the passwords (FRAISE_TEST_SCRAM_PASSWORD,
# FRAISE_TEST_MD5_PASSWORD, FRAISE_TEST_PASSWORD_PASSWORD) and
# FRAISE_TEST_TLS_CA_FILE and FRAISE_TEST_TLS_DIR (ca.crt, other-ca.crt,
# revoked.crl revoking the server's certificate, empty.crl, other-ca.crl
# from the other CA, crldir/, client.crt for the role fraise_cert with
# client.key, client-pkcs8.key and client-legacy.key, the last two encrypted
# with FRAISE_TEST_CLIENT_KEY_PASSWORD, expired.crt, the server's name and
# key, expired, and other-name.crt, its key for db.other.example).
#
# PgBouncer (when the pgbouncer program is found; otherwise it is skipped with
# a message, and the pooler tests skip, or fail when CI is set) runs in front
# of the cluster from PG_DIR/pgbouncer (pgbouncer.ini, userlist.txt,
# pgbouncer.pid, pgbouncer.log and its Unix socket), on another free loopback
# port, as the server's OS user when we are root. Its clients authenticate
# with scram-sha-256 as fraise_scram; it reaches the server over the Unix
# socket. env.sh then also exports FRAISE_TEST_PGB_PORT,
# FRAISE_TEST_PGB_SOCKET_DIR, FRAISE_TEST_PGB_QUERY_WAIT_TIMEOUT (seconds,
# for every database) and the URIs (TCP, sslmode=disable, user fraise_scram):
# FRAISE_TEST_PGB_URI_TX (db fraise_tx: transaction pooling, pool of 150),
# FRAISE_TEST_PGB_URI_SESSION (db fraise_session: session pooling, pool of
# 20), FRAISE_TEST_PGB_URI_SMALL (db fraise_small: transaction pooling, pool
# of 1, for pool exhaustion and for two clients sharing one server
# connection), all three on the database fraise_test, and
# FRAISE_TEST_PGB_ADMIN_URI (the admin console, db pgbouncer).
#
# Also read: FRAISE_PG_BIN (server binaries, default /usr/lib/postgresql/15/bin),
# FRAISE_PGBOUNCER (the pgbouncer program, default: pgbouncer on PATH, then
# /usr/sbin/pgbouncer) and FRAISE_PG_KEEP (when set, `stop` keeps the
# directory and its logs).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC_DIR=$(cd "$SCRIPT_DIR/.." && pwd)
DATA_SRC="$SRC_DIR/data"

PG_BIN=${FRAISE_PG_BIN:-/usr/lib/postgresql/15/bin}
PG_OS_USER=postgres            # OS user that runs the server when we are root
PG_SUPERUSER=postgres          # database superuser created by initdb
MARKER=.fraise-pg-harness      # only directories holding this file are ever removed

SCRAM_PASSWORD='scram-secret-Ω'
CLIENT_KEY_PASSWORD='key-secret-ä'
MD5_PASSWORD='md5-secret'
CLEAR_PASSWORD='clear-secret'

PGB_QUERY_WAIT_TIMEOUT=2       # seconds a client query waits for a server connection

PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3

die() { echo "pg-harness: $*" >&2; exit 1; }
log() { echo "pg-harness: $*" >&2; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Runs a server-side command as the server's OS user, from a directory that
# user can enter.
as_server() {
  if is_root; then
    (cd /tmp && runuser -u "$PG_OS_USER" -- "$@")
  else
    "$@"
  fi
}

# Quotes a value for a POSIX shell.
sq() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

urlencode() { "$PYTHON" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

free_port() {
  "$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

pick_locale() {
  if locale -a 2>/dev/null | grep -qixE 'c\.utf-?8'; then
    echo C.UTF-8
  else
    echo C
  fi
}

# psql as a client, over the Unix socket (run as the invoking user).
run_psql() {
  local user=$1 db=$2
  shift 2
  PGOPTIONS='--client-min-messages=warning' \
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKET_DIR" -p "$PORT" -U "$user" -d "$db" "$@"
}

server_log_tail() {
  if [ -f "$PG_DIR/server.log" ]; then
    echo "---- server log (last 40 lines): $PG_DIR/server.log" >&2
    tail -n 40 "$PG_DIR/server.log" >&2 || true
    echo "----" >&2
  fi
}

# Stops the PgBouncer of the cluster in $1, if it runs.
stop_pgbouncer() {
  local pidfile=$1/pgbouncer/pgbouncer.pid pid i
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile" 2>/dev/null || true)
  case "$pid" in '' | *[!0-9]*) return 0 ;; esac
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# Stops the server in $1 (if running) and removes the directory (if ours).
teardown() {
  local dir=$1
  stop_pgbouncer "$dir"
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_server "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
      as_server "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  if [ -f "$dir/$MARKER" ] && [ -z "${FRAISE_PG_KEEP:-}" ]; then
    rm -rf -- "$dir"
  fi
}

choose_dir() {
  if [ -n "${FRAISE_PG_DIR:-}" ]; then
    PG_DIR=$FRAISE_PG_DIR
    if [ -e "$PG_DIR" ] && [ ! -f "$PG_DIR/$MARKER" ] && [ -n "$(ls -A "$PG_DIR" 2>/dev/null)" ]; then
      die "$PG_DIR exists and is not a harness directory; refusing to use it"
    fi
    [ -f "$PG_DIR/$MARKER" ] && teardown "$PG_DIR"
    mkdir -p "$PG_DIR"
  elif is_root; then
    PG_DIR=$(mktemp -d /tmp/fraise-pg.XXXXXX)
  else
    local build_dir=${1:-${FRAISE_BUILD_DIR:-build}}
    mkdir -p "$build_dir"
    PG_DIR="$(cd "$build_dir" && pwd)/pg"
    if [ -e "$PG_DIR" ]; then
      [ -f "$PG_DIR/$MARKER" ] || die "$PG_DIR exists and is not a harness directory; refusing to use it"
      teardown "$PG_DIR"
    fi
    mkdir -p "$PG_DIR"
  fi
  PG_DIR=$(cd "$PG_DIR" && pwd)
  touch "$PG_DIR/$MARKER"
  chmod 0755 "$PG_DIR"
}

# Self-signed CA and a server certificate for 127.0.0.1 / localhost.
make_tls() {
  command -v certtool >/dev/null 2>&1 || { log "certtool not found: TLS disabled"; return 1; }
  local tls=$PG_DIR/tls
  mkdir -p "$tls"
  cat >"$tls/ca.tmpl" <<'EOF'
cn = "fraisewire test CA"
ca
cert_signing_key
crl_signing_key
expiration_days = 2
EOF
  cat >"$tls/server.tmpl" <<'EOF'
cn = "localhost"
dns_name = "localhost"
ip_address = "127.0.0.1"
tls_www_server
signing_key
encryption_key
expiration_days = 2
EOF
  {
    certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 --outfile "$tls/ca.key" &&
      certtool --generate-self-signed --load-privkey "$tls/ca.key" --template "$tls/ca.tmpl" \
        --outfile "$tls/ca.crt" &&
      certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 --outfile "$tls/server.key" &&
      certtool --generate-certificate --load-privkey "$tls/server.key" \
        --load-ca-certificate "$tls/ca.crt" --load-ca-privkey "$tls/ca.key" \
        --template "$tls/server.tmpl" --outfile "$tls/server.crt"
  } >"$tls/certtool.log" 2>&1 || { log "certtool failed (see $tls/certtool.log): TLS disabled"; return 1; }
  # For the negative tests: a CA that did not sign the server's certificate,
  # a CRL of the right CA revoking the server's certificate, one revoking
  # nothing, an empty one of the other CA, and a directory holding the
  # revoking one (sslcrldir).
  printf '%s\n' 'cn = "fraisewire other CA"' ca cert_signing_key 'expiration_days = 2' \
    >"$tls/other-ca.tmpl"
  printf '%s\n' 'crl_next_update = 2' 'crl_number = 1' >"$tls/crl.tmpl"
  {
    certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 --outfile "$tls/other-ca.key" &&
      certtool --generate-self-signed --load-privkey "$tls/other-ca.key" \
        --template "$tls/other-ca.tmpl" --outfile "$tls/other-ca.crt" &&
      certtool --generate-crl --load-ca-privkey "$tls/ca.key" --load-ca-certificate "$tls/ca.crt" \
        --load-certificate "$tls/server.crt" --template "$tls/crl.tmpl" \
        --outfile "$tls/revoked.crl" &&
      certtool --generate-crl --load-ca-privkey "$tls/ca.key" --load-ca-certificate "$tls/ca.crt" \
        --template "$tls/crl.tmpl" --outfile "$tls/empty.crl" &&
      certtool --generate-crl --load-ca-privkey "$tls/other-ca.key" \
        --load-ca-certificate "$tls/other-ca.crt" --template "$tls/crl.tmpl" \
        --outfile "$tls/other-ca.crl" &&
      mkdir -p "$tls/crldir" && cp "$tls/revoked.crl" "$tls/crldir/revoked.crl"
  } >>"$tls/certtool.log" 2>&1 || { log "certtool failed (see $tls/certtool.log): TLS disabled"; return 1; }
  # A client certificate for the role fraise_cert (the `cert` method), its
  # key in the clear, as encrypted PKCS#8 and as legacy encrypted PEM
  # (Proc-Type: 4,ENCRYPTED), both with the password $CLIENT_KEY_PASSWORD.
  printf '%s\n' 'cn = "fraise_cert"' tls_www_client signing_key 'expiration_days = 2' \
    >"$tls/client.tmpl"
  {
    certtool --generate-privkey --key-type=ecdsa --curve=secp256r1 --outfile "$tls/client.key" &&
      certtool --generate-certificate --load-privkey "$tls/client.key" \
        --load-ca-certificate "$tls/ca.crt" --load-ca-privkey "$tls/ca.key" \
        --template "$tls/client.tmpl" --outfile "$tls/client.crt" &&
      certtool --to-p8 --load-privkey "$tls/client.key" --password "$CLIENT_KEY_PASSWORD" \
        --outfile "$tls/client-pkcs8.key" &&
      openssl ec -in "$tls/client.key" -aes256 -passout "pass:$CLIENT_KEY_PASSWORD" \
        -out "$tls/client-legacy.key"
  } >>"$tls/certtool.log" 2>&1 || { log "client certificates failed (see $tls/certtool.log): TLS disabled"; return 1; }
  # The server's key with another name (for the fake TLS server).
  printf '%s\n' 'cn = "db.other.example"' 'dns_name = "db.other.example"' tls_www_server \
    signing_key encryption_key 'expiration_days = 2' >"$tls/other-name.tmpl"
  certtool --generate-certificate --load-privkey "$tls/server.key" \
    --load-ca-certificate "$tls/ca.crt" --load-ca-privkey "$tls/ca.key" \
    --template "$tls/other-name.tmpl" --outfile "$tls/other-name.crt" >>"$tls/certtool.log" 2>&1 ||
    { log "certtool failed (see $tls/certtool.log): TLS disabled"; return 1; }
  # The server's name and key, but expired (for the fake TLS server).
  printf '%s\n' 'cn = "localhost"' 'dns_name = "localhost"' 'ip_address = "127.0.0.1"' \
    tls_www_server signing_key encryption_key 'activation_date = "2020-01-01 00:00:00"' \
    'expiration_date = "2020-01-02 00:00:00"' >"$tls/expired.tmpl"
  certtool --generate-certificate --load-privkey "$tls/server.key" \
    --load-ca-certificate "$tls/ca.crt" --load-ca-privkey "$tls/ca.key" \
    --template "$tls/expired.tmpl" --outfile "$tls/expired.crt" >>"$tls/certtool.log" 2>&1 ||
    { log "certtool failed (see $tls/certtool.log): TLS disabled"; return 1; }
  grep -q 'Proc-Type: 4,ENCRYPTED' "$tls/client-legacy.key" ||
    { log "openssl wrote no legacy encrypted key: TLS disabled"; return 1; }
  chmod 0600 "$tls/server.key" "$tls/ca.key" "$tls/other-ca.key" "$tls/client.key" \
    "$tls/client-pkcs8.key" "$tls/client-legacy.key"
  chmod 0644 "$tls/ca.crt" "$tls/server.crt" "$tls/other-ca.crt" "$tls/revoked.crl" \
    "$tls/empty.crl" "$tls/other-ca.crl" "$tls/crldir/revoked.crl"
  return 0
}

write_config() {
  local conf=$PG_DIR/data/postgresql.conf
  {
    echo
    echo "# ---- test harness settings (data/postgresql-test.conf)"
    cat "$DATA_SRC/postgresql-test.conf"
    echo
    echo "# ---- this run"
    echo "port = $PORT"
    echo "unix_socket_directories = '$SOCKET_DIR'"
    echo "unix_socket_permissions = 0777"
    if [ "$TLS" = 1 ]; then
      echo "ssl = on"
      echo "ssl_cert_file = '$PG_DIR/tls/server.crt'"
      echo "ssl_key_file = '$PG_DIR/tls/server.key'"
      echo "ssl_ca_file = '$PG_DIR/tls/ca.crt'"
    fi
  } >>"$conf"
  cat >"$PG_DIR/data/pg_hba.conf" <<'EOF'
# TYPE  DATABASE  USER             ADDRESS        METHOD
local   all       all                             trust
host    all       fraise_scram     127.0.0.1/32   scram-sha-256
host    all       fraise_md5       127.0.0.1/32   md5
host    all       fraise_password  127.0.0.1/32   password
host    all       all              127.0.0.1/32   scram-sha-256
EOF
  # Only with TLS: the client certificate is the credential.
  if [ "$TLS" = 1 ]; then
    sed -i '/^host    all       all /i hostssl all       fraise_cert      127.0.0.1/32   cert' \
      "$PG_DIR/data/pg_hba.conf"
    # One role the server takes only over TLS, one only in plaintext: the
    # sslmode retries of allow and prefer.
    sed -i '/^host    all       all /i hostssl all       fraise_sslonly   127.0.0.1/32   trust' \
      "$PG_DIR/data/pg_hba.conf"
    sed -i '/^host    all       all /i hostnossl all     fraise_nossl     127.0.0.1/32   trust' \
      "$PG_DIR/data/pg_hba.conf"
  fi
}

start_server() {
  local attempt
  for attempt in 1 2 3 4 5; do
    PORT=$(free_port)
    as_server sed -i "s/^port = .*/port = $PORT/" "$PG_DIR/data/postgresql.conf"
    if as_server "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 -s start; then
      return 0
    fi
    if grep -q 'could not bind\|Address already in use' "$PG_DIR/server.log" 2>/dev/null; then
      log "port $PORT taken (attempt $attempt), retrying"
      continue
    fi
    return 1
  done
  return 1
}

find_pgbouncer() {
  PGBOUNCER=${FRAISE_PGBOUNCER:-}
  if [ -z "$PGBOUNCER" ]; then
    PGBOUNCER=$(command -v pgbouncer 2>/dev/null || true)
    [ -n "$PGBOUNCER" ] || [ ! -x /usr/sbin/pgbouncer ] || PGBOUNCER=/usr/sbin/pgbouncer
  fi
  [ -n "$PGBOUNCER" ] && [ -x "$PGBOUNCER" ]
}

# Per-database pool_mode and pool_size; the server is reached over its Unix
# socket (trust), as the client's user. server_login_retry is short so that a
# server restart does not hold clients for the default 15 s.
write_pgbouncer_config() {
  local dir=$PG_DIR/pgbouncer
  local server="host=$SOCKET_DIR port=$PORT dbname=fraise_test"
  mkdir -p "$dir"
  # The password has no double quote; PgBouncer takes it in the clear and
  # runs SCRAM with it.
  printf '"%s" "%s"\n' fraise_scram "$SCRAM_PASSWORD" >"$dir/userlist.txt"
  chmod 0600 "$dir/userlist.txt"
  cat >"$dir/pgbouncer.ini" <<EOF
; Written by scripts/pg-harness.sh for one test run.
[databases]
fraise_tx = $server pool_mode=transaction pool_size=150
fraise_session = $server pool_mode=session pool_size=20
fraise_small = $server pool_mode=transaction pool_size=1

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = 0
unix_socket_dir = $dir
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
admin_users = fraise_scram
pidfile = $dir/pgbouncer.pid
logfile = $dir/pgbouncer.log
max_client_conn = 400
default_pool_size = 20
query_wait_timeout = $PGB_QUERY_WAIT_TIMEOUT
server_idle_timeout = 10
server_login_retry = 1
log_connections = 0
log_disconnections = 0
EOF
  if is_root; then
    chown -R "$PG_OS_USER:" "$dir"
  fi
}

pgbouncer_log_tail() {
  if [ -f "$PG_DIR/pgbouncer/pgbouncer.log" ]; then
    echo "---- pgbouncer log (last 20 lines): $PG_DIR/pgbouncer/pgbouncer.log" >&2
    tail -n 20 "$PG_DIR/pgbouncer/pgbouncer.log" >&2 || true
    echo "----" >&2
  fi
}

# Starts PgBouncer on a free port (retrying when another program took it)
# and waits until it answers.
start_pgbouncer() {
  local attempt i ini=$PG_DIR/pgbouncer/pgbouncer.ini
  for attempt in 1 2 3 4 5; do
    PGB_PORT=$(free_port)
    as_server sed -i "s/^listen_port = .*/listen_port = $PGB_PORT/" "$ini"
    as_server "$PGBOUNCER" -d -q "$ini" || { pgbouncer_log_tail; return 1; }
    for i in $(seq 1 100); do
      if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PGB_PORT" -d fraise_tx -U fraise_scram -t 1; then
        return 0
      fi
      [ -f "$PG_DIR/pgbouncer/pgbouncer.pid" ] || break
      sleep 0.1
    done
    stop_pgbouncer "$PG_DIR"
    if grep -q 'Address already in use' "$PG_DIR/pgbouncer/pgbouncer.log" 2>/dev/null; then
      log "pgbouncer: port $PGB_PORT taken (attempt $attempt), retrying"
      continue
    fi
    pgbouncer_log_tail
    return 1
  done
  return 1
}

# Called as `load_sql || die`, where set -e does not apply: every step checks.
load_sql() {
  local quoted_scram quoted_md5 quoted_clear
  quoted_scram=$(sq "$SCRAM_PASSWORD")
  quoted_md5=$(sq "$MD5_PASSWORD")
  quoted_clear=$(sq "$CLEAR_PASSWORD")
  run_psql "$PG_SUPERUSER" postgres <<EOF || return 1
CREATE ROLE fraise_trust LOGIN;
CREATE ROLE fraise_scram LOGIN;
CREATE ROLE fraise_md5 LOGIN;
CREATE ROLE fraise_password LOGIN;
CREATE ROLE fraise_cert LOGIN;
CREATE ROLE fraise_sslonly LOGIN;
CREATE ROLE fraise_nossl LOGIN;
SET password_encryption = 'scram-sha-256';
ALTER ROLE fraise_scram PASSWORD $quoted_scram;
ALTER ROLE fraise_password PASSWORD $quoted_clear;
SET password_encryption = 'md5';
ALTER ROLE fraise_md5 PASSWORD $quoted_md5;
RESET password_encryption;
CREATE DATABASE fraise_test OWNER fraise_trust;
CREATE DATABASE demo OWNER fraise_trust;
REVOKE CONNECT ON DATABASE fraise_test, demo FROM PUBLIC;
GRANT CONNECT ON DATABASE fraise_test, demo TO fraise_trust, fraise_scram, fraise_md5, fraise_password, fraise_cert, fraise_sslonly, fraise_nossl;
EOF
  # Fixtures are owned by the database owner; the other roles get read access.
  run_psql fraise_trust fraise_test -f "$DATA_SRC/fixtures.sql" >/dev/null || return 1
  run_psql fraise_trust demo -f "$DATA_SRC/demo.sql" >/dev/null || return 1
  local db
  for db in fraise_test demo; do
    run_psql fraise_trust "$db" <<'EOF' || return 1
GRANT USAGE ON SCHEMA public TO fraise_scram, fraise_md5, fraise_password;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO fraise_scram, fraise_md5, fraise_password;
EOF
  done
}

write_env() {
  local enc_socket host=127.0.0.1 tls_params
  enc_socket=$(urlencode "$SOCKET_DIR")
  local uri="postgresql://fraise_trust@$enc_socket:$PORT/fraise_test"
  local uri_demo="postgresql://fraise_trust@$enc_socket:$PORT/demo"
  local uri_super="postgresql://$PG_SUPERUSER@$enc_socket:$PORT/fraise_test"
  local uri_scram uri_md5 uri_password uri_tls=""
  uri_scram="postgresql://fraise_scram:$(urlencode "$SCRAM_PASSWORD")@$host:$PORT/fraise_test?sslmode=disable"
  uri_md5="postgresql://fraise_md5:$(urlencode "$MD5_PASSWORD")@$host:$PORT/fraise_test?sslmode=disable"
  uri_password="postgresql://fraise_password:$(urlencode "$CLEAR_PASSWORD")@$host:$PORT/fraise_test?sslmode=disable"
  if [ "$TLS" = 1 ]; then
    tls_params="sslmode=verify-full&sslrootcert=$(urlencode "$PG_DIR/tls/ca.crt")"
    uri_tls="postgresql://fraise_scram:$(urlencode "$SCRAM_PASSWORD")@$host:$PORT/fraise_test?$tls_params"
  fi
  {
    echo "# Written by scripts/pg-harness.sh: source it to reach the test cluster."
    echo "export FRAISE_PG_DIR=$(sq "$PG_DIR")"
    echo "export FRAISE_TEST_PORT=$(sq "$PORT")"
    echo "export FRAISE_TEST_HOST=$(sq "$host")"
    echo "export FRAISE_TEST_SOCKET_DIR=$(sq "$SOCKET_DIR")"
    echo "export FRAISE_TEST_URI=$(sq "$uri")"
    echo "export FRAISE_TEST_URI_SCRAM=$(sq "$uri_scram")"
    echo "export FRAISE_TEST_URI_MD5=$(sq "$uri_md5")"
    echo "export FRAISE_TEST_URI_PASSWORD=$(sq "$uri_password")"
    echo "export FRAISE_TEST_URI_DEMO=$(sq "$uri_demo")"
    echo "export FRAISE_TEST_SUPERUSER_URI=$(sq "$uri_super")"
    echo "export FRAISE_TEST_SCRAM_PASSWORD=$(sq "$SCRAM_PASSWORD")"
    echo "export FRAISE_TEST_MD5_PASSWORD=$(sq "$MD5_PASSWORD")"
    echo "export FRAISE_TEST_PASSWORD_PASSWORD=$(sq "$CLEAR_PASSWORD")"
    if [ "$PGB" = 1 ]; then
      local pgb="fraise_scram:$(urlencode "$SCRAM_PASSWORD")@$host:$PGB_PORT"
      echo "export FRAISE_TEST_PGB_PORT=$(sq "$PGB_PORT")"
      echo "export FRAISE_TEST_PGB_SOCKET_DIR=$(sq "$PG_DIR/pgbouncer")"
      echo "export FRAISE_TEST_PGB_QUERY_WAIT_TIMEOUT=$(sq "$PGB_QUERY_WAIT_TIMEOUT")"
      echo "export FRAISE_TEST_PGB_URI_TX=$(sq "postgresql://$pgb/fraise_tx?sslmode=disable")"
      echo "export FRAISE_TEST_PGB_URI_SESSION=$(sq "postgresql://$pgb/fraise_session?sslmode=disable")"
      echo "export FRAISE_TEST_PGB_URI_SMALL=$(sq "postgresql://$pgb/fraise_small?sslmode=disable")"
      echo "export FRAISE_TEST_PGB_ADMIN_URI=$(sq "postgresql://$pgb/pgbouncer?sslmode=disable")"
    fi
    if [ "$TLS" = 1 ]; then
      echo "export FRAISE_TEST_URI_TLS=$(sq "$uri_tls")"
      echo "export FRAISE_TEST_TLS_CA_FILE=$(sq "$PG_DIR/tls/ca.crt")"
      echo "export FRAISE_TEST_TLS_DIR=$(sq "$PG_DIR/tls")"
      echo "export FRAISE_TEST_CLIENT_KEY_PASSWORD=$(sq "$CLIENT_KEY_PASSWORD")"
    fi
  } >"$PG_DIR/env.sh"
  chmod 0644 "$PG_DIR/env.sh"
}

on_start_exit() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    log "start failed"
    server_log_tail
    teardown "$PG_DIR"
  fi
}

cmd_start() {
  [ -x "$PG_BIN/initdb" ] || die "PostgreSQL 15 not found in $PG_BIN (run scripts/deps.sh)"
  if is_root; then
    id -u "$PG_OS_USER" >/dev/null 2>&1 || die "OS user '$PG_OS_USER' does not exist"
    command -v runuser >/dev/null 2>&1 || die "runuser not found (util-linux)"
  fi
  local t0
  t0=$(date +%s.%N)
  choose_dir "${1:-}"
  SOCKET_DIR=$PG_DIR/socket
  PORT=0
  TLS=0
  PGB=0
  PGB_PORT=0

  # From here on, any failure prints the server log and removes the cluster.
  trap on_start_exit EXIT

  mkdir -p "$SOCKET_DIR"
  chmod 0755 "$SOCKET_DIR"
  if make_tls; then TLS=1; fi
  if is_root; then
    chown -R "$PG_OS_USER:" "$PG_DIR"
    as_server test -x "$PG_DIR" || die "$PG_DIR is not reachable by user $PG_OS_USER"
  fi

  local loc
  loc=$(pick_locale)
  as_server "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$PG_SUPERUSER" -E UTF8 --locale="$loc" \
    --auth-local=trust --auth-host=scram-sha-256 --no-instructions --no-sync \
    >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }

  write_config
  start_server || die "the server did not start"
  "$PG_BIN/pg_isready" -q -h "$SOCKET_DIR" -p "$PORT" -U "$PG_SUPERUSER" -d postgres -t 30 || die "the server is not ready"

  load_sql || die "loading the fixtures failed"
  if find_pgbouncer; then
    write_pgbouncer_config
    start_pgbouncer || die "pgbouncer did not start"
    PGB=1
  else
    log "pgbouncer not found (run scripts/deps.sh): the pooler tests will skip, or fail under CI"
  fi
  write_env
  trap - EXIT
  log "cluster ready in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s: $PG_DIR (port $PORT$([ "$PGB" = 1 ] && echo ", pgbouncer $PGB_PORT"))"
  echo "$PG_DIR/env.sh"
}

resolve_dir() {
  local dir=${1:-${FRAISE_PG_DIR:-}}
  [ -n "$dir" ] || die "no cluster directory (give it as argument or set FRAISE_PG_DIR)"
  echo "$dir"
}

cmd_stop() {
  local dir
  dir=$(resolve_dir "${1:-}")
  [ -d "$dir" ] || return 0
  [ -f "$dir/$MARKER" ] || die "$dir is not a harness directory"
  teardown "$dir"
}

cmd_env() {
  local dir
  dir=$(resolve_dir "${1:-}")
  [ -f "$dir/env.sh" ] || die "no env.sh in $dir"
  cat "$dir/env.sh"
}

cmd_restart() {
  local mode=${1:-} dir
  case "$mode" in
    fast|immediate) ;;
    *) die "restart: the mode is fast or immediate" ;;
  esac
  dir=$(resolve_dir "${2:-}")
  [ -f "$dir/$MARKER" ] || die "$dir is not a harness directory"
  as_server "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m "$mode" -w -t 60 -s restart \
    >/dev/null || die "restart -m $mode failed: see $dir/server.log"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  restart) shift; cmd_restart "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  env) shift; cmd_env "$@" ;;
  *)
    echo "usage: $0 start [BUILD_DIR] | stop [PG_DIR] | env [PG_DIR] | restart fast|immediate [PG_DIR]" >&2
    exit 2
    ;;
esac
