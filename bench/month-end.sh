#!/usr/bin/env bash
# Month-end benchmark (issue 18): N subscriptions' invoices finalized (draft → open) per second through the invoice
# grains, beside a raw batched INSERT of the same rows in the same run. PostgreSQL via scripts/pg.sh (default durable
# settings: fsync and synchronous_commit on), one core silo from the Release build (Production settings, as
# bench/run.sh), and bench/Driver as an Orleans client that seeds N drafts over N/100 tenants by COPY (each with its
# lines and two usage events), inserts the baseline, then calls IInvoiceGrain.FinalizeAsync for all of them with
# PARALLELISM calls in flight. Each call answers after its transaction committed, so the figure is durable. The drafts
# are send_invoice: finalization charges nothing (collection, bounded by the Stripe outbound budget, is kept out).
#   bench/month-end.sh [--record]              100,000 invoices; --record adds the row to docs/BENCHMARKS.md
#   INVOICES=5000 bench/month-end.sh           a smoke run
#   NO_BUILD=1 bench/month-end.sh              measures the Release build already in bin/
# Knobs: INVOICES (100000), TENANTS (INVOICES/100), PARALLELISM (256), BASELINE_CONNECTIONS (4), CONNECTION_OPTIONS
# (appended to every process's connection string, e.g. "No Reset On Close=true" for an experiment).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/pg.sh
record=0; [ "${1:-}" = "--record" ] && record=1
invoices=${INVOICES:-100000}
tenants=${TENANTS:-$(( invoices / 100 > 0 ? invoices / 100 : 1 ))}
parallelism=${PARALLELISM:-256}
baseline_connections=${BASELINE_CONNECTIONS:-4}
work=$(mktemp -d /tmp/platform-bench-monthend.XXXXXX)
chmod 755 "$work" # the postgres user must reach its data folder inside
pg_port=${BENCH_PG_PORT:-55497}
silo_http=${BENCH_SILO_HTTP_PORT:-8097}
pids=()
cleanup() {
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pg_stop "$work/pg"
  mkdir -p "$root/artifacts/bench" && cp "$work"/*.log "$root/artifacts/bench/" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

pg_ensure_installed
if [ "${NO_BUILD:-0}" != 1 ]; then
  echo "building (Release)..." >&2
  dotnet build src/Silo/Silo.csproj -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
  dotnet build bench/Driver/Driver.csproj -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
fi
# pg_stat_statements: the driver reports which statements the finalizations spent the database's time on.
PG_EXTRA_OPTIONS="-c shared_preload_libraries=pg_stat_statements" pg_start "$work/pg" "$pg_port" "$work/pg-password"
pg_create_db "$pg_port" "$(cat "$work/pg-password")" platform
postmaster=$(head -1 "$work/pg/postmaster.pid")
# 100 a pool: the silo has two (the platform's data source and Orleans' ADO.NET providers), and PostgreSQL allows 300
# connections (scripts/pg.sh); with 200 a pool, 256 finalizations in flight were refused "too many clients" at start.
export ConnectionStrings__Platform="Host=127.0.0.1;Port=$pg_port;Database=platform;Username=postgres;Password=$(cat "$work/pg-password");Maximum Pool Size=100${CONNECTION_OPTIONS:+;$CONNECTION_OPTIONS}"
export DOTNET_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
# The silo encrypts personal data at rest (docs/DATA-PROTECTION.md): a throwaway data key for this run.
export Platform__DataKey="$(head -c 32 /dev/urandom | base64)"
export Orleans__ClusterId=monthend Orleans__ServiceId=monthend

(cd src/Silo/bin/Release/net10.0 && Silo__Roles=core Silo__HttpPort=$silo_http Silo__SiloPort=11197 Silo__GatewayPort=30097 \
  exec dotnet Platform.Silo.dll) >"$work/silo.log" 2>&1 & pids+=($!)
for _ in $(seq 1 240); do curl -fsS "http://127.0.0.1:$silo_http/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "http://127.0.0.1:$silo_http/health/ready" >/dev/null || { echo "the silo did not become ready" >&2; tail -20 "$work/silo.log" >&2; exit 1; }

load=$(uptime | sed 's/.*load average: //; s/,.*//')
echo "month-end: $invoices invoices over $tenants tenants, $parallelism finalizations in flight, load $load" >&2
# Exit code 2: an invoice not finalized or a numbering gap; the row is still printed (and says so).
status=0
report=$(cd bench/Driver/bin/Release/net10.0 && dotnet Platform.Bench.Driver.dll month-end "$ConnectionStrings__Platform" \
  "$invoices" "$tenants" "$parallelism" "$baseline_connections" "${pids[0]}" "$postmaster") || status=$?
echo "$report" > "$work/month-end.json"

date=$(date -u +%Y-%m-%d); machine="$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load $load"
cmd="bench/month-end.sh"; [ "$invoices" != 100000 ] && cmd="INVOICES=$invoices $cmd"
[ -n "${CONNECTION_OPTIONS:-}" ] && cmd="CONNECTION_OPTIONS='$CONNECTION_OPTIONS' $cmd"
python3 - "$report" "$date" "$machine" "$cmd" "$record" "$root/docs/BENCHMARKS.md" <<'PY'
import json, sys
m, date, machine, cmd, record, doc = json.loads(sys.argv[1]), *sys.argv[2:]
row = (f"| {date} | {machine} | {m['invoices']:,} invoices, {m['tenants']:,} tenants | "
       f"{m['baseline_per_second']:,.0f} invoices/s ({m['baseline_connections']} connections, batches of {m['baseline_batch']:,}) | "
       f"{m['finalized_per_second']:,.0f} invoices/s ({m['parallelism']} in flight, {m['finalize_seconds']:.0f} s; {m['retries']} retried, {m['failures']} failed, "
       f"{m['open']:,} open, tenants with a numbering gap {m['tenants_with_gaps']}) | {m['ratio']:.3f} | "
       f"silo {m['silo_cpu_micros_per_invoice']:,.0f} µs + PostgreSQL {m['postgres_cpu_micros_per_invoice']:,.0f} µs + driver {m['driver_cpu_micros_per_invoice']:,.0f} µs CPU/invoice "
       f"(cores busy {m['silo_cores']:.2f} / {m['postgres_cores']:.2f} / {m['driver_cores']:.2f}); {m['commits_per_invoice']:.1f} transactions and {m['wal_syncs_per_invoice']:.2f} WAL syncs per invoice | `{cmd}` |")
print("\n6. month-end finalization vs raw batched INSERT of the same rows (target: >= 1,000 invoices/s durable)")
print(row)
if record == "1":
    text = open(doc).read()
    marker = "<!-- rows:month-end -->"
    text = text.replace(marker, row + "\n" + marker)
    open(doc, "w").write(text)
    print(f"\nrecorded in {doc}")
PY
exit "$status"
