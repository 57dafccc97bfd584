#!/usr/bin/env bash
# The chaos run (issue 9, docs/RELIABILITY.md): builds, starts a private PostgreSQL (scripts/pg.sh), then the
# runner (bench/Chaos), which starts the Stripe fake, three silos (two core, one pci) and two API hosts as
# processes on 127.0.0.1, drives usage events, payments, Stripe webhooks and period ends on test clocks (invoices made,
# finalized and charged) from both API hosts, kills and restarts silos, stops PostgreSQL, restarts an API host, and
# checks every invariant against the database and the fake.
#   bench/chaos.sh            the full run (about 10 minutes)
#   bench/chaos.sh --short    the CI form (about 3 minutes)
#   --no-build                use the existing build (CHAOS_CONFIGURATION, default Release)
# Exit code 0 only when every invariant held. The hosts' logs are kept in artifacts/chaos/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/pg.sh

mode=(); build=1
for arg in "$@"; do
  case "$arg" in
    --short) mode=(--short) ;;
    --no-build) build=0 ;;
    *) echo "usage: bench/chaos.sh [--short] [--no-build]" >&2; exit 2 ;;
  esac
done
configuration=${CHAOS_CONFIGURATION:-Release}
work=$(mktemp -d /tmp/platform-chaos-XXXXXX)
chmod 755 "$work" # the postgres user must reach its data folder inside
# Below the kernel's ephemeral range (32768+), as bench/Chaos/FreePort.cs: a port found free there is not handed to
# the next process that binds to 0 or connects out before PostgreSQL binds it.
pg_port=$(python3 -c '
import random, socket
while True:
    p = random.randrange(20000, 32768); s = socket.socket()
    try: s.bind(("127.0.0.1", p)); print(p); break
    except OSError: pass
    finally: s.close()')
runner=""
cleanup() {
  # The runner kills its hosts when it exits (SIGTERM included).
  if [ -n "$runner" ]; then kill -TERM "$runner" 2>/dev/null || true; wait "$runner" 2>/dev/null || true; fi
  pg_stop "$work/pg"
  mkdir -p "$root/artifacts/chaos" && cp "$work"/*.log "$work"/*.csv "$root/artifacts/chaos/" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

pg_ensure_installed
if [ "$build" = 1 ]; then
  echo "building ($configuration)..." >&2
  dotnet build Platform.sln -c "$configuration" -nologo -v q -clp:ErrorsOnly >/dev/null
fi
pg_start "$work/pg" "$pg_port" "$work/pg-password"
pg_create_db "$pg_port" "$(cat "$work/pg-password")" platform

CHAOS_ROOT=$root CHAOS_WORK=$work CHAOS_CONFIGURATION=$configuration CHAOS_PG_DATA=$work/pg CHAOS_PG_PORT=$pg_port \
  CHAOS_PG_PASSWORD_FILE=$work/pg-password \
  dotnet "bench/Chaos/bin/$configuration/net10.0/Platform.Bench.Chaos.dll" "${mode[@]}" &
runner=$!
# In the background and waited for, so a SIGTERM to this script runs the trap at once.
status=0; wait "$runner" || status=$?
runner=""
exit "$status"
