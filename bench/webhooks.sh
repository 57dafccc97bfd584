#!/usr/bin/env bash
# Stripe webhook benchmark (issue 5): the full local stack as separate processes (PostgreSQL via
# scripts/pg.sh, one silo with roles core+pci holding the webhook secret, the API), a tenant and
# customers made through the API, then N pre-signed Stripe events (subscription updates and invoices
# for those customers, 20% of deliveries repeats of earlier ones, shuffled) driven by wrk. Every 2xx is
# an event verified (Stripe.net, HMAC-SHA256), recorded in platform_webhook_events and routed to its
# SubscriptionGrain, or a duplicate recognised. Baseline, same run: bench/Baseline answering a POST of
# the same bodies with a JSON receipt. Prints events/s, ack p50/p99 and the ratio. Everything is thrown away.
#   bench/webhooks.sh                  defaults: 20 s, 64 connections, 200 customers
#   DURATION=30 CONNECTIONS=128 bench/webhooks.sh [--record]   --record adds the row to docs/BENCHMARKS.md
#   NO_BUILD=1 bench/webhooks.sh       measures the Release build already in bin/ (no rebuild)
#   TRACE=silo bench/webhooks.sh       also a dotnet-trace thread-time sample of the silo (or api) during the drive
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/pg.sh
record=0; [ "${1:-}" = "--record" ] && record=1

duration=${DURATION:-20}
connections=${CONNECTIONS:-64}
customers=${CUSTOMERS_COUNT:-200}
threads=2
work=$(mktemp -d /tmp/platform-bench-webhooks.XXXXXX)
chmod 755 "$work" # the postgres user must reach its data folder inside
pg_port=${BENCH_PG_PORT:-55498}
api_port=${BENCH_API_PORT:-5098}
baseline_port=${BENCH_BASELINE_PORT:-5097}
silo_http=${BENCH_SILO_HTTP_PORT:-8098}
api="http://127.0.0.1:$api_port"
baseline="http://127.0.0.1:$baseline_port"
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
tool() { if [ -x "$bin/$1" ]; then echo "$bin/$1"; else type -P "$1"; fi; }

if [ "${NO_BUILD:-0}" != 1 ]; then # NO_BUILD=1: measure the Release build already there
  echo "Building (Release)..." >&2
  dotnet build Platform.sln -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
fi

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
export Orleans__ClusterId=bench Orleans__ServiceId=bench
# Rate limiting stays on the path (one limiter grain call per delivery) with limits the load never reaches.
export RateLimits__Webhook__PermitLimit=1000000000 RateLimits__Api__PermitLimit=1000000000 RateLimits__Admin__PermitLimit=1000000000
webhook_secret="whsec_bench_$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# The pci role holds the webhook secret; Stripe's API itself is never called here (a closed port). Production
# accepts live-mode keys only (StripeOptionsValidator), so the throwaway keys are live-shaped.
(cd src/Silo/bin/Release/net10.0 && Silo__Roles=core,pci Silo__HttpPort=$silo_http Silo__SiloPort=11198 Silo__GatewayPort=30098 \
  Stripe__SecretKey=sk_live_bench Stripe__PublishableKey=pk_live_bench Stripe__ApiBase=http://127.0.0.1:9 \
  Stripe__WebhookSecret=$webhook_secret exec dotnet Platform.Silo.dll >"$work/silo.log" 2>&1) &
pids+=($!); silo_pid=$!
for _ in $(seq 1 240); do curl -fsS "http://127.0.0.1:$silo_http/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
(cd src/Api/bin/Release/net10.0 && Urls=$api exec dotnet Platform.Api.dll >"$work/api.log" 2>&1) &
pids+=($!); api_pid=$!
(cd bench/Baseline/bin/Release/net10.0 && exec dotnet Platform.Bench.Baseline.dll --urls "$baseline" >"$work/baseline.log" 2>&1) &
pids+=($!); baseline_pid=$!
for _ in $(seq 1 240); do curl -fsS "$api/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "$api/health/ready" >/dev/null || { echo "The API did not become ready" >&2; tail -20 "$work/api.log" "$work/silo.log" >&2; exit 1; }

post() { curl -fsS -X POST "$api$1" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' -d "$3"; }
tenant=$(post /v1/tenants "$Platform__AdminToken" '{"name":"Bench"}' | jq -r .id)
secret=$(post "/v1/tenants/$tenant/api_keys" "$Platform__AdminToken" '{"role":"admin"}' | jq -r .secret)
: > "$work/customers"
for i in $(seq 1 "$customers"); do
  post /v1/customers "$secret" "{\"name\":\"Bench $i\"}" | jq -r .id >> "$work/customers"
done
echo "Tenant $tenant with $customers customers." >&2

# generate <file> <deliveries> <prefix>: signed deliveries, one per line; 20% of them repeat an earlier event.
generate() {
  python3 - "$1" "$2" "$3" "$tenant" "$work/customers" "$webhook_secret" <<'PY'
import hashlib, hmac, json, random, sys, time
path, deliveries, prefix, tenant, customers_file, secret = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
customers = [line.strip() for line in open(customers_file) if line.strip()]
rng = random.Random(12)
now = int(time.time())
unique = deliveries * 4 // 5
events = []
for n in range(unique):
    customer = customers[n % len(customers)]
    k = n // len(customers)
    created = now - 3600 + k
    meta = {"tenant_id": tenant, "customer_id": customer}
    sub = f"sub_{prefix}{n % len(customers)}"
    if n % 5 == 4:
        obj = {"id": f"in_{prefix}{n}", "object": "invoice", "amount_due": 1000, "created": created, "currency": "usd",
               "customer": f"cus_stripe{n % len(customers)}", "metadata": {},
               "parent": {"type": "subscription_details", "subscription_details": {"metadata": meta, "subscription": sub}},
               "status": "paid"}
        kind = "invoice.paid"
    else:
        obj = {"id": sub, "object": "subscription", "cancel_at_period_end": k % 7 == 0, "created": now - 7200,
               "customer": f"cus_stripe{n % len(customers)}",
               "items": {"object": "list", "has_more": False, "data": [{"id": f"si_{prefix}{n % len(customers)}", "object": "subscription_item",
                   "current_period_start": created, "current_period_end": created + 2592000,
                   "price": {"id": "price_basic", "object": "price", "unit_amount": 1000, "currency": "usd"}, "quantity": 1 + k % 9}]},
               "metadata": meta, "status": "past_due" if k % 11 == 10 else "active"}
        kind = "customer.subscription.updated"
    body = json.dumps({"id": f"evt_{prefix}{n:09d}", "object": "event", "api_version": "2026-10-28.endive", "created": created,
                       "data": {"object": obj}, "livemode": False, "pending_webhooks": 1, "type": kind}, separators=(",", ":"))
    events.append(body)
# Repeats come a little after their first delivery, as Stripe's retries do.
keyed = [(float(n), body) for n, body in enumerate(events)]
for _ in range(deliveries - unique):
    source = rng.randrange(unique)
    keyed.append((source + rng.uniform(0.5, 500.0), events[source]))
keyed.sort(key=lambda pair: pair[0])
stream = [body for _, body in keyed]
with open(path, "w") as out:
    t = str(int(time.time()))
    for body in stream:
        signature = hmac.new(secret.encode(), (t + "." + body).encode(), hashlib.sha256).hexdigest()
        out.write(f"t={t},v1={signature}\t{body}\n")
PY
}
drive() { # drive <url> <events file> <seconds>
  EVENTS=$2 THREADS=$threads wrk -t$threads -c"$connections" -d"$3"s --timeout 10s -s bench/webhooks.lua "$1" | grep '^RESULT' | sed 's/^RESULT //'
}
# cpu <pid>...: CPU seconds (user + system) used so far by those processes and all their descendants.
cpu() {
  python3 - "$@" <<'PY'
import os, sys
hz = os.sysconf("SC_CLK_TCK"); children = {}; ticks = {}
for p in filter(str.isdigit, os.listdir("/proc")):
    try:
        stat = open(f"/proc/{p}/stat").read(); f = stat[stat.rindex(")") + 2:].split()
    except OSError:
        continue
    children.setdefault(int(f[1]), []).append(int(p)); ticks[int(p)] = int(f[11]) + int(f[12])
total, stack = 0, [int(a) for a in sys.argv[1:]]
while stack:
    p = stack.pop(); total += ticks.get(p, 0); stack.extend(children.get(p, []))
print(f"{total / hz:.2f}")
PY
}
postmaster() { head -1 "$work/pg/postmaster.pid"; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

# Sized above what the run can send, so the file's 20% repeats are the only duplicates.
main_deliveries=${DELIVERIES:-$((duration * 5000))}
generate "$work/warmup.tsv" 20000 w
generate "$work/main.tsv" "$main_deliveries" m
echo "Warm-up..." >&2
drive "$api" "$work/warmup.tsv" 5 >/dev/null
sample=$(head -1 "$work/main.tsv")
echo "Sample reply: $(curl -fsS -X POST "$api/v1/stripe/webhook" -H 'Content-Type: application/json' -H "Stripe-Signature: ${sample%%$'\t'*}" --data-binary "${sample#*$'\t'}")" >&2
psql -c "DELETE FROM platform_webhook_events WHERE id LIKE 'evt_m%'"

echo "Webhooks: $connections connections, ${duration}s, $main_deliveries deliveries pre-signed..." >&2
cpu_before=("$(cpu "$silo_pid")" "$(cpu "$api_pid")" "$(cpu "$(postmaster)")")
if [ -n "${TRACE:-}" ]; then # TRACE=silo|api: a sampled thread-time trace of that process during the drive, into artifacts/bench/
  trace_pid=$silo_pid; [ "$TRACE" = api ] && trace_pid=$api_pid
  mkdir -p "$root/artifacts/bench"
  "$HOME/.dotnet/tools/dotnet-trace" collect -p "$trace_pid" --profile dotnet-sampled-thread-time --duration "00:00:00:$((duration - 2))" \
    -o "$root/artifacts/bench/webhooks-$TRACE.nettrace" >"$work/trace.log" 2>&1 &
fi
ours=$(drive "$api" "$work/main.tsv" "$duration")
cpu_after=("$(cpu "$silo_pid")" "$(cpu "$api_pid")" "$(cpu "$(postmaster)")")
load=$(cut -d' ' -f1-3 /proc/loadavg)
# The ack follows the durable insert; the owner grains apply in the background. Applied events/s counts
# the time until the last one is applied (polled, at most 120 s more), so the backlog is not hidden.
drain_start=$(date +%s.%N)
for _ in $(seq 1 240); do
  [ "$(psql -c "SELECT count(*) FROM platform_webhook_events WHERE id LIKE 'evt_m%' AND status = 1")" = 0 ] && break
  sleep 0.5
done
drain=$(awk -v a="$drain_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
recorded=$(psql -c "SELECT count(*) FROM platform_webhook_events WHERE id LIKE 'evt_m%' AND status = 2")
pending=$(psql -c "SELECT count(*) FROM platform_webhook_events WHERE id LIKE 'evt_m%' AND status <> 2")
echo "Baseline: the same bodies POSTed to bench/Baseline..." >&2
drive "$baseline" "$work/warmup.tsv" 3 >/dev/null
cpu_base_before=$(cpu "$baseline_pid")
base=$(drive "$baseline" "$work/main.tsv" "$duration")
cpu_base_after=$(cpu "$baseline_pid")

rps=$(field req_per_s "$ours"); base_rps=$(field req_per_s "$base")
# CPU per delivery (µs) of each process during the measured drive: steadier than req/s on a shared machine.
per_delivery() { awk -v a="$1" -v b="$2" -v n="$(field requests "$ours")" 'BEGIN { printf "%.0f", (b - a) * 1e6 / n }'; }
cpu_silo=$(per_delivery "${cpu_before[0]}" "${cpu_after[0]}"); cpu_api=$(per_delivery "${cpu_before[1]}" "${cpu_after[1]}")
cpu_pg=$(per_delivery "${cpu_before[2]}" "${cpu_after[2]}")
cpu_base=$(awk -v a="$cpu_base_before" -v b="$cpu_base_after" -v n="$(field requests "$base")" 'BEGIN { printf "%.0f", (b - a) * 1e6 / n }')
cpu_ratio=$(awk -v b="$cpu_base" -v s="$cpu_silo" -v a="$cpu_api" -v p="$cpu_pg" 'BEGIN { printf "%.3f", b / (s + a + p) }')
recorded_per_s=$(awk -v n="$recorded" -v s="$(field seconds "$ours")" -v d="$drain" 'BEGIN { printf "%.0f", n / (s + d) }')
ratio=$(awk -v a="$rps" -v b="$base_rps" 'BEGIN { printf "%.2f", a / b }')
date=$(date -u +%Y-%m-%d); machine="$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
row="| $date | $machine | ${base_rps%.*} req/s, p50 $(field p50_ms "$base") ms, p99 $(field p99_ms "$base") ms, CPU $cpu_base µs/req | ${rps%.*} deliveries/s (${recorded_per_s} new events/s verified, recorded and applied, drain ${drain} s included; 20% duplicates), p50 $(field p50_ms "$ours") ms, p99 $(field p99_ms "$ours") ms, non-2xx $(field non2xx "$ours"); CPU per delivery silo $cpu_silo µs, API $cpu_api µs, PostgreSQL $cpu_pg µs | $ratio (CPU $cpu_ratio) | \`bench/webhooks.sh\` ($connections connections, ${duration} s; load average $load) |"
cat <<REPORT

== Stripe webhook benchmark ($date, $machine, load average $load)
platform : $rps deliveries/s acknowledged, p50 $(field p50_ms "$ours") ms, p99 $(field p99_ms "$ours") ms, non-2xx $(field non2xx "$ours"), socket errors $(field socket_errors "$ours")
           $recorded new events applied ($recorded_per_s/s, the last ${drain} s after the drive), $pending not applied
cpu      : silo $cpu_silo µs, API $cpu_api µs, PostgreSQL $cpu_pg µs per delivery (user + system, during the drive)
baseline : $base_rps req/s, p50 $(field p50_ms "$base") ms, p99 $(field p99_ms "$base") ms, CPU $cpu_base µs/req (bench/Baseline, same bodies)
ratio    : $ratio (platform deliveries/s / baseline req/s); CPU $cpu_ratio (baseline µs/req / platform µs/delivery, all processes)   target: >= 2000 events/s, p99 <= 100 ms
$row
REPORT
if [ "$record" = 1 ]; then
  python3 - "$row" "$root/docs/BENCHMARKS.md" <<'PY'
import sys
row, doc = sys.argv[1], sys.argv[2]
text = open(doc).read()
marker = "<!-- rows:webhooks -->"
open(doc, "w").write(text.replace(marker, row + "\n" + marker))
print(f"recorded in {doc}")
PY
fi
