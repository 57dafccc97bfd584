#!/usr/bin/env bash
# Benchmarks of the hot paths (issue 12), each beside its baseline measured in the same run:
#   1. authenticated, rate-limited GET /v1/customers/{id} vs a bare minimal API returning the same JSON
#   2. the same route with rate limits on vs off (two API hosts of one cluster)
#   3. Stripe webhooks (when the webhook route exists)
#   4. memory per active customer vs Orleans' own per-activation cost
# Starts the full local stack as separate processes (PostgreSQL, silo, API hosts) with production
# settings (Production environment, logging at Information), drives it with wrk, prints a table.
#   bench/run.sh [--record]      --record appends the rows to docs/BENCHMARKS.md
#   NO_BUILD=1 bench/run.sh      measures the Release build already in bin/ (no rebuild)
# Knobs: BENCH_DURATION (s, default 15), BENCH_CONNECTIONS (64), BENCH_CUSTOMERS (100000), BENCH_IDLE_AGE (90 s).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/pg.sh
record=0; [ "${1:-}" = "--record" ] && record=1
duration=${BENCH_DURATION:-15}
connections=${BENCH_CONNECTIONS:-64}
customers=${BENCH_CUSTOMERS:-100000}
# Idle activations' collection age on the bench silo (seconds, < 600); the memory benchmark waits past it.
idle_age=${BENCH_IDLE_AGE:-90}
work=$(mktemp -d /tmp/platform-bench-XXXXXX)
chmod 755 "$work"
pg_port=55490; silo_http=8091; api_on=5181; api_off=5182; baseline=5183
admin="adm_bench_$(head -c 12 /dev/urandom | base64 | tr -dc A-Za-z0-9)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pg_stop "$work/pg"
  # The processes' logs outlive the run (artifacts/bench/), so a failed start can be read afterwards.
  mkdir -p "$root/artifacts/bench" && cp "$work"/*.log "$root/artifacts/bench/" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

apt_ensure wrk wrk
pg_ensure_installed
if [ "${NO_BUILD:-0}" != 1 ]; then # NO_BUILD=1: measure the Release build already there
  echo "building (Release)..." >&2
  dotnet build Platform.sln -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
fi
pg_start "$work/pg" "$pg_port" "$work/pg-password"
pg_create_db "$pg_port" "$(cat "$work/pg-password")" platform
export ConnectionStrings__Platform="Host=127.0.0.1;Port=$pg_port;Database=platform;Username=postgres;Password=$(cat "$work/pg-password");Maximum Pool Size=200"
export DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production
# Outside Development the API needs a license signing key: a throwaway one for this run.
export Licenses__SigningKeys__0__File="$(license_key "$work/license.pem")"
# The silo encrypts personal data at rest (docs/DATA-PROTECTION.md): a throwaway data key for this run.
export Platform__DataKey="$(head -c 32 /dev/urandom | base64)"
export Orleans__ClusterId=bench Orleans__ServiceId=bench Platform__AdminToken=$admin
out() { echo "$root/src/$1/bin/Release/net10.0"; }
wait_for() { for _ in $(seq 1 240); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "timed out waiting for $1" >&2; return 1; }

(cd "$(out Silo)" && Silo__Roles=core Orleans__Collection__CollectionAge=00:0$((idle_age / 60)):$(printf %02d $((idle_age % 60))) Orleans__Collection__CollectionQuantum=00:00:15 Silo__HttpPort=$silo_http Silo__SiloPort=11191 Silo__GatewayPort=30091 Silo__EnableDiagnostics=true \
  exec dotnet Platform.Silo.dll) >"$work/silo.log" 2>&1 & pids+=($!)
wait_for "http://127.0.0.1:$silo_http/health/ready"
(cd "$(out Api)" && Urls=http://127.0.0.1:$api_on exec dotnet Platform.Api.dll) >"$work/api-on.log" 2>&1 & pids+=($!)
(cd "$(out Api)" && Urls=http://127.0.0.1:$api_off RateLimits__Enabled=false exec dotnet Platform.Api.dll) >"$work/api-off.log" 2>&1 & pids+=($!)
(cd "$root/bench/Baseline/bin/Release/net10.0" && exec dotnet Platform.Bench.Baseline.dll --urls http://127.0.0.1:$baseline) >"$work/baseline.log" 2>&1 & pids+=($!)
wait_for "http://127.0.0.1:$api_on/health/ready"; wait_for "http://127.0.0.1:$api_off/health/ready"; wait_for "http://127.0.0.1:$baseline/v1/customers/x"

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
api="http://127.0.0.1:$api_on"
tenant=$(curl -fsS -X POST "$api/v1/tenants" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' -d '{"name":"Bench"}' | json "['id']")
key=$(curl -fsS -X POST "$api/v1/tenants/$tenant/api_keys" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' -d '{"role":"read"}' | json "['secret']")
writer=$(curl -fsS -X POST "$api/v1/tenants/$tenant/api_keys" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' -d '{"role":"admin"}' | json "['secret']")
# The limit stays on (every request still asks its limiter grain) but high enough never to refuse.
curl -fsS -X POST "$api/v1/tenants/$tenant/rate_limits" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"limits":{"api":{"permit_limit":1000000,"window_seconds":3600}}}' >/dev/null
customer=$(curl -fsS -X POST "$api/v1/customers" -H "Authorization: Bearer $writer" -H 'Content-Type: application/json' \
  -d '{"email":"jenny@example.com","name":"Jenny Rosen","metadata":{"crm_id":"42"}}' | json "['id']")

# CPU time (user + system, in clock ticks) the given processes have used so far.
cpu_ticks() { local t=0 pid; for pid in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$t"; }
# wrk: "rps p50 p99 non2xx cpu_us_per_request" where the CPU is that of the server processes given
# after the URL and token (the API and the silo, or the bare app): a figure the shared machine's other
# load barely moves, unlike requests/s.
measure() {
  local url=$1 auth=${2:-}; shift 2
  local args=(-t2 -c"$connections" -d"${duration}s" --latency)
  [ -n "$auth" ] && args+=(-H "Authorization: Bearer $auth")
  wrk "${args[@]}" -d3s "$url" >/dev/null 2>&1 || true   # warm-up
  local before; before=$(cpu_ticks "$@")
  wrk "${args[@]}" "$url" > "$work/wrk.txt" 2>&1
  local used=$(( $(cpu_ticks "$@") - before ))
  python3 - "$work/wrk.txt" "$used" "$(getconf CLK_TCK)" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
ticks, hz = int(sys.argv[2]), int(sys.argv[3])
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
total = int(re.search(r"(\d+) requests in", text).group(1))
print(f"{rps:.0f} {ms('50%'):.2f} {ms('99%'):.2f} {non2xx.group(1) if non2xx else 0} {ticks / hz * 1e6 / max(1, total):.0f}")
PY
}
echo "benchmark 1 and 2: GET /v1/customers/{id}, $connections connections, ${duration}s each" >&2
silo_pid=${pids[0]}; api_on_pid=${pids[1]}; api_off_pid=${pids[2]}; baseline_pid=${pids[3]}
read -r b_rps b_p50 b_p99 b_err b_cpu < <(measure "http://127.0.0.1:$baseline/v1/customers/$customer" "" "$baseline_pid")
read -r on_rps on_p50 on_p99 on_err on_cpu < <(measure "$api/v1/customers/$customer" "$key" "$api_on_pid" "$silo_pid")
read -r off_rps off_p50 off_p99 off_err off_cpu < <(measure "http://127.0.0.1:$api_off/v1/customers/$customer" "$key" "$api_off_pid" "$silo_pid")

echo "benchmark 4: memory, $customers customers" >&2
mem=$(cd "$root/bench/Driver/bin/Release/net10.0" && dotnet Platform.Bench.Driver.dll memory "$ConnectionStrings__Platform" "http://127.0.0.1:$silo_http" "$customers" 100 128 $((idle_age + 45)))

date=$(date -u +%Y-%m-%d); machine="$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
python3 - "$date" "$machine" "$b_rps" "$b_p50" "$b_p99" "$on_rps" "$on_p50" "$on_p99" "$on_err" "$off_rps" "$off_p50" "$off_p99" "$mem" "$record" "$root/docs/BENCHMARKS.md" "$b_cpu" "$on_cpu" "$off_cpu" "$(uptime | sed 's/.*load average: //; s/,.*//')" <<'PY'
import json, sys
(date, machine, b_rps, b_p50, b_p99, on_rps, on_p50, on_p99, on_err, off_rps, off_p50, off_p99, mem, record, doc, b_cpu, on_cpu, off_cpu, load) = sys.argv[1:]
machine += f", load {load}"
b_rps, on_rps, off_rps = float(b_rps), float(on_rps), float(off_rps)
m = json.loads(mem)
cmd = "bench/run.sh"
rows = {
  "reads": f"| {date} | {machine} | {b_rps:.0f} req/s, p50 {b_p50} ms, p99 {b_p99} ms, CPU {b_cpu} µs/req | {on_rps:.0f} req/s, p50 {on_p50} ms, p99 {on_p99} ms, CPU {on_cpu} µs/req (non-2xx {on_err}) | {on_rps/b_rps:.2f} (CPU {float(b_cpu)/max(1.0, float(on_cpu)):.2f}) | `{cmd}` |",
  "ratelimit": f"| {date} | {machine} | off: {off_rps:.0f} req/s, p99 {off_p99} ms, CPU {off_cpu} µs/req | on: {on_rps:.0f} req/s, p99 {on_p99} ms, CPU {on_cpu} µs/req | {on_rps/off_rps:.2f} (p99 +{float(on_p99)-float(off_p99):.2f} ms, CPU +{float(on_cpu)-float(off_cpu):.0f} µs/req) | `{cmd}` |",
  "memory": f"| {date} | {machine} | {m['bytes_per_probe_activation']:.0f} B per bare activation | {m['bytes_per_customer']:.0f} B per customer ({m['activations_per_customer']} activations), own state {m['own_state_bytes_per_customer']:.0f} B | {m['bytes_per_customer']/max(1,m['bytes_per_probe_activation']):.2f} | `{cmd}` ({m['customers']} customers; heap {m['after_customers']['managed_heap_bytes']/2**20:.0f} MiB, working set {m['after_customers']['working_set_bytes']/2**20:.0f} MiB; idle collection: activations {m['activations_before_idle']} → {m['activations_after_idle']}, heap {m['after_idle']['managed_heap_bytes']/2**20:.0f} MiB) |",
}
print("\n1. authenticated, rate-limited read vs bare endpoint (target: >= 0.40, p99 < 5 ms)")
print(rows["reads"])
print("\n2. rate limiting on vs off (target: <= 10% fewer req/s, <= 0.5 ms more p99)")
print(rows["ratelimit"])
print("\n4. memory per active customer (target: own state <= 2 KiB beyond Orleans' per-activation cost)")
print(rows["memory"])
if record == "1":
    text = open(doc).read()
    for key, row in rows.items():
        marker = f"<!-- rows:{key} -->"
        text = text.replace(marker, row + "\n" + marker)
    open(doc, "w").write(text)
    print(f"\nrecorded in {doc}")
PY
