#!/usr/bin/env bash
# PostgreSQL helpers shared by run.sh, test.sh and .ci/run. Source it; nothing runs on its own.
# A private server per data folder, bound to 127.0.0.1, run as the `postgres` user when we are root
# (initdb and postgres refuse to run as root).

pg_bin_dir() {
  local d
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return 0
  fi
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

pg_ensure_installed() {
  if pg_bin_dir >/dev/null; then return 0; fi
  echo "PostgreSQL not found; installing it with apt-get..." >&2
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
  pg_bin_dir >/dev/null || { echo "PostgreSQL installation failed" >&2; return 1; }
}

# apt_ensure <command> <package>: installs a Debian package when its command is missing (benchmarks' wrk).
apt_ensure() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "$1 not found; installing $2 with apt-get..." >&2
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >&2
  command -v "$1" >/dev/null 2>&1 || { echo "installing $2 failed" >&2; return 1; }
}

# license_key <file>: a throwaway P-256 license signing key for a run outside Development (benchmarks,
# chaos runs), where the API refuses to start without one; echoes the file.
license_key() {
  [ -s "$1" ] || openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$1"
  echo "$1"
}

# Runs a PostgreSQL binary as the server's owner.
pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# pg_start <data dir> <port> <password file>: initialises on first use, then starts; idempotent.
# PG_EXTRA_OPTIONS: more server options (bench/month-end.sh loads pg_stat_statements with it).
pg_start() {
  local data=$1 port=$2 pwfile=$3 bin
  bin=$(pg_bin_dir)
  mkdir -p "$data"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$data"; chmod 700 "$data"; fi
  if [ ! -s "$pwfile" ]; then
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$pwfile")
  fi
  chmod 600 "$pwfile"
  if [ ! -f "$data/PG_VERSION" ]; then
    local tmppw; tmppw=$(mktemp); cp "$pwfile" "$tmppw"; chmod 644 "$tmppw"
    pg_as_owner "$bin/initdb" -D "$data" -U postgres --pwfile="$tmppw" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null \
      || pg_as_owner "$bin/initdb" -D "$data" -U postgres --pwfile="$tmppw" --auth=scram-sha-256 -E UTF8 --no-locale >/dev/null
    rm -f "$tmppw"
  fi
  if pg_as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then return 0; fi
  pg_as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c max_connections=300 ${PG_EXTRA_OPTIONS:-}" >/dev/null
}

pg_stop() {
  local data=$1 bin
  bin=$(pg_bin_dir) || return 0
  [ -f "$data/PG_VERSION" ] || return 0
  pg_as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_create_db <port> <password> <name>
pg_create_db() {
  local port=$1 password=$2 name=$3 psql
  psql=$(pg_bin_dir)/psql; [ -x "$psql" ] || psql=psql
  PGPASSWORD=$password "$psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1 \
    || PGPASSWORD=$password "$psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE \"$name\"" >/dev/null
}
