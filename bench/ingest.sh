#!/usr/bin/env bash
# Ingestion benchmark: the full local stack as separate processes (PostgreSQL via scripts/pg.sh with
# its default durable settings, the silo and the API from Release builds), a tenant, a key and
# customers made through the API, then wrk drives POST /v1/usage_events with batches of 100 and of 1
# from many connections. A pgbench run of the equivalent raw 100-row INSERT on the same PostgreSQL is
# the baseline. Prints events/s, p50/p99 and the ratio. Everything is thrown away afterwards.
#   bench/ingest.sh                    defaults: 20 s per run, 64 connections, 200 customers
#   DURATION=30 CONNECTIONS=128 bench/ingest.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/pg.sh

duration=${DURATION:-20}
connections=${CONNECTIONS:-64}
customers=${CUSTOMERS_COUNT:-200}
work=$(mktemp -d /tmp/platform-bench.XXXXXX)
chmod 755 "$work" # the postgres user must reach its data folder inside
pg_port=${BENCH_PG_PORT:-55499}
api_port=${BENCH_API_PORT:-5099}
silo_http=${BENCH_SILO_HTTP_PORT:-8099}
api="http://127.0.0.1:$api_port"
pids=()
cleanup() {
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pg_stop "$work/pg"
  mkdir -p "$root/artifacts/bench" && cp "$work"/*.log "$root/artifacts/bench/" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

apt_ensure wrk wrk
pg_ensure_installed
bin=$(pg_bin_dir)
# type -P: the binary on PATH, never the psql() function below (that would recurse).
tool() { if [ -x "$bin/$1" ]; then echo "$bin/$1"; else type -P "$1"; fi; }

echo "Building (Release)..."
dotnet build Platform.sln -c Release -nologo -v q -clp:ErrorsOnly >/dev/null

pg_start "$work/pg" "$pg_port" "$work/pg-password"
password=$(cat "$work/pg-password")
pg_create_db "$pg_port" "$password" bench
export PGPASSWORD=$password
psql() { "$(tool psql)" -h 127.0.0.1 -p "$pg_port" -U postgres -d bench -qtAX "$@"; }
export ConnectionStrings__Platform="Host=127.0.0.1;Port=$pg_port;Database=bench;Username=postgres;Password=$password;Maximum Pool Size=200"
export Platform__AdminToken="adm_bench_$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production
# Outside Development the API needs a license signing key: a throwaway one for this run.
export Licenses__SigningKeys__0__File="$(license_key "$work/license.pem")"
# The silo encrypts personal data at rest (docs/DATA-PROTECTION.md): a throwaway data key for this run.
export Platform__DataKey="$(head -c 32 /dev/urandom | base64)"
export Logging__LogLevel__Default=Warning
# The PCI side (IStripeMeterGrain) is not built yet: measure ingestion alone.
export Usage__ForwardingEnabled=false
# Rate limiting stays on the path (one grain call per request) with limits the load never reaches.
export RateLimits__Usage__PermitLimit=1000000000 RateLimits__Api__PermitLimit=1000000000 RateLimits__Admin__PermitLimit=1000000000
export DOTNET_TieredPGO=1

# Core role only: usage is core work, and a pci silo would need Stripe keys.
(cd src/Silo/bin/Release/net10.0 && Silo__Roles=core Silo__HttpPort=$silo_http Orleans__ClusterId=bench Orleans__ServiceId=bench exec dotnet Platform.Silo.dll >"$work/silo.log" 2>&1) &
pids+=($!)
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$silo_http/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
(cd src/Api/bin/Release/net10.0 && Urls=$api Orleans__ClusterId=bench Orleans__ServiceId=bench exec dotnet Platform.Api.dll >"$work/api.log" 2>&1) &
pids+=($!)
for _ in $(seq 1 120); do curl -fsS "$api/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "$api/health/ready" >/dev/null || { echo "The API did not become ready" >&2; tail -20 "$work/api.log" "$work/silo.log" >&2; exit 1; }

post() { curl -fsS -X POST "$api$1" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' -d "$3"; }
tenant=$(post /v1/tenants "$Platform__AdminToken" '{"name":"Bench"}' | jq -r .id)
secret=$(post "/v1/tenants/$tenant/api_keys" "$Platform__AdminToken" '{"role":"admin"}' | jq -r .secret)
: > "$work/customers"
for i in $(seq 1 "$customers"); do
  post /v1/customers "$secret" "{\"name\":\"Bench $i\"}" | jq -r .id >> "$work/customers"
done
echo "Tenant $tenant with $customers customers."

drive() { # drive <batch> <connections> <seconds> [run id]
  BATCH=$1 TOKEN=$secret CUSTOMERS="$work/customers" RUN="${4:-w$RANDOM}" \
    wrk -t2 -c"$2" -d"$3"s --timeout 10s -s bench/ingest.lua "$api" | grep '^RESULT' | sed 's/^RESULT //'
}
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

echo "Warm-up..."
drive 100 "$connections" 5 >/dev/null
# One request by hand, to show the reply shape and that the generated events are valid.
sample=$(curl -fsS -X POST "$api/v1/usage_events" -H "Authorization: Bearer $secret" -H 'Content-Type: application/json' \
  -d "{\"events\":[{\"event_id\":\"sample-1\",\"customer\":\"$(head -1 "$work/customers")\",\"metric\":\"api_calls\",\"quantity\":1,\"properties\":{\"region\":\"r1\"}}]}")
echo "Sample reply: $(jq -c '{accepted, duplicate, rejected}' <<<"$sample")"

echo "Batches of 100, $connections connections, ${duration}s..."
b100=$(drive 100 "$connections" "$duration" main100)
logged=$(psql -c "SELECT count(*) FROM usage_events WHERE event_id LIKE 'main100-%'")
echo "Batches of 1, $connections connections, ${duration}s..."
b1=$(drive 1 "$connections" "$duration")

echo "Baseline: pgbench, the same 100-row INSERT ... ON CONFLICT on the same PostgreSQL..."
psql -c "CREATE TABLE bench_usage_events (LIKE usage_events INCLUDING ALL)"
baseline_out=$("$(tool pgbench)" -h 127.0.0.1 -p "$pg_port" -U postgres -n -c "$connections" -j 2 -T "$duration" -f bench/baseline.sql bench 2>&1)
tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$baseline_out" | head -1)
baseline_latency=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$baseline_out")
baseline_eps=$(awk -v t="$tps" 'BEGIN { printf "%.0f", t * 100 }')

ours=$(field events_per_s "$b100")
ratio=$(awk -v a="$ours" -v b="$baseline_eps" 'BEGIN { printf "%.2f", a / b }')
requests=$(field requests "$b100")
logged_per_s=$(awk -v n="$logged" -v s="$(field seconds "$b100")" 'BEGIN { printf "%.0f", n / s }')
ratio=$(awk -v a="$logged_per_s" -v b="$baseline_eps" 'BEGIN { printf "%.2f", a / b }')
cat <<REPORT

== Usage ingestion benchmark ($(date -u +%Y-%m-%d), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, load average $(cut -d' ' -f1-3 /proc/loadavg))
batch 100 : $(field events_per_s "$b100") events/s, p50 $(field p50_ms "$b100") ms, p99 $(field p99_ms "$b100") ms, non-2xx $(field non2xx "$b100"), $logged new rows logged for $requests requests ($logged_per_s logged events/s)
batch 1   : $(field events_per_s "$b1") events/s, p50 $(field p50_ms "$b1") ms, p99 $(field p99_ms "$b1") ms, non-2xx $(field non2xx "$b1")
baseline  : $baseline_eps events/s (pgbench, $tps statements/s of 100 rows, latency average $baseline_latency ms)
ratio     : $ratio (logged events/s of batch 100 through the API / raw INSERT baseline)
REPORT
