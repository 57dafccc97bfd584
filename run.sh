#!/usr/bin/env bash
# Runs the platform on this machine: a private PostgreSQL on 127.0.0.1, one silo with both roles,
# the API on http://127.0.0.1:5080 (Urls / ASPNETCORE_URLS override it). Without a real Stripe__SecretKey
# it also starts the Stripe fake on 127.0.0.1:12111 and points the silo at it. Ctrl-C stops everything;
# data stays in .data/ (git-ignored), so the next start keeps it. Secrets there are readable by their owner
# only (0600) and never printed. Outgoing webhooks go to public addresses only, unless asked:
# Webhooks__AllowPrivateNetworks=true ./run.sh (receivers on this machine or its network).
# PLATFORM_SKIP_BUILD=1 starts what was built last without building.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$root"
source scripts/pg.sh

data=${PLATFORM_DATA_DIR:-$root/.data}
pg_port=${PLATFORM_PG_PORT:-55432}
api_url=${Urls:-${ASPNETCORE_URLS:-http://127.0.0.1:5080}}
silo_http_port=${Silo__HttpPort:-8081}
stripe_fake_port=${STRIPE_FAKE_PORT:-12111}
mkdir -p "$data"

# new_secret <file> <command…>: writes the command's output to the file once, readable by its owner only,
# and tightens a file an older run left readable by others.
new_secret() {
  local file=$1; shift
  [ -s "$file" ] || (umask 077 && "$@" > "$file")
  chmod 600 "$file"
}
random_token() { printf '%s%s' "$1" "$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"; }

pids=()
own_pg=0
cleanup() {
  trap - INT TERM EXIT
  echo; echo "Stopping..."
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$own_pg" = 1 ]; then pg_stop "$data/pg"; fi
  echo "Stopped."
}
trap cleanup INT TERM EXIT

own_pg=0
if [ -z "${ConnectionStrings__Platform:-}" ]; then
  own_pg=1
  pg_ensure_installed
  pg_start "$data/pg" "$pg_port" "$data/pg-password"
  chmod 600 "$data/pg-password"
  pg_create_db "$pg_port" "$(cat "$data/pg-password")" platform
  export ConnectionStrings__Platform="Host=127.0.0.1;Port=$pg_port;Database=platform;Username=postgres;Password=$(cat "$data/pg-password")"
fi

admin_token_source="Platform__AdminToken from the environment"
if [ -z "${Platform__AdminToken:-}" ]; then
  new_secret "$data/admin-token" random_token adm_
  export Platform__AdminToken=$(cat "$data/admin-token")
  admin_token_source="in $data/admin-token   (ADMIN=\$(cat $data/admin-token))"
fi

# The key that encrypts sensitive fields at rest (webhook signing secrets): kept with the data, since
# a new key could not open what the old one sealed. Silo only: the API is started without it.
if [ -z "${Platform__DataKey:-}" ]; then
  new_secret "$data/data-key" sh -c 'head -c 32 /dev/urandom | base64'
  export Platform__DataKey=$(cat "$data/data-key")
fi
# The development license signing key (P-256) is kept with the data, so licenses issued before a restart verify after it.
if [ -z "${Licenses__SigningKeys__0__Pem:-}${Licenses__SigningKeys__0__File:-}" ] && command -v openssl >/dev/null; then
  [ -s "$data/license-signing-key.pem" ] || { (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$data/license-signing-key.pem" 2>/dev/null); }
  chmod 600 "$data/license-signing-key.pem"
  export Licenses__SigningKeys__0__File="$data/license-signing-key.pem"
fi
# Outgoing webhooks to loopback and private addresses (receivers on this machine) only when asked; never in production.
export Webhooks__AllowPrivateNetworks=${Webhooks__AllowPrivateNetworks:-false}

# Stripe settings go to the silo only (it holds the pci role); the API never sees a Stripe secret.
stripe_env=()
own_stripe_fake=0
if [ -z "${Stripe__SecretKey:-}" ]; then
  own_stripe_fake=1
  secret() { new_secret "$1" random_token "$2"; cat "$1"; }
  stripe_key=$(secret "$data/stripe-fake-secret-key" sk_test_fake_)
  stripe_webhook_secret=$(secret "$data/stripe-fake-webhook-secret" whsec_fake_)
  stripe_env=(
    "Stripe__ApiBase=http://127.0.0.1:$stripe_fake_port"
    "Stripe__SecretKey=$stripe_key"
    "Stripe__PublishableKey=pk_test_fake_local"
    "Stripe__WebhookSecret=$stripe_webhook_secret"
  )
fi

# Progress per project (a cold first build restores packages and compiles everything: a few minutes).
if [ "${PLATFORM_SKIP_BUILD:-0}" != 1 ]; then
  echo "Building (Release)..."
  dotnet build "$root/Platform.sln" -c Release -nologo -tl:off -v m -clp:NoSummary 2>&1 |
    sed -un -e 's/^ *Restored \(.*\) (in \(.*\))\./  restored \1 (\2)/p' -e 's/^ *\([^ ]*\) -> .*/  built \1/p' -e '/: error /p'
fi
bin_dir() { echo "$root/src/$1/bin/Release/net10.0"; }

export DOTNET_ENVIRONMENT=${DOTNET_ENVIRONMENT:-Development}
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-$DOTNET_ENVIRONMENT}

if [ "$own_stripe_fake" = 1 ]; then
  # The fake signs its webhooks with the same secret the silo verifies them with.
  (cd "$(bin_dir StripeFake)" && \
    StripeFake__ApiKey=$stripe_key StripeFake__WebhookSecret=$stripe_webhook_secret \
    StripeFake__StateFile="$data/stripe-fake/state.json" \
    StripeFake__WebhookUrl="${api_url%/}/v1/stripe/webhook" \
    exec dotnet Platform.StripeFake.dll --urls "http://127.0.0.1:$stripe_fake_port") &
  fake_pid=$!
  pids+=($fake_pid)
  echo "Waiting for the Stripe fake..."
  for _ in $(seq 1 120); do
    # Any HTTP answer (401 without a key) means it is listening.
    curl -sS -o /dev/null "http://127.0.0.1:$stripe_fake_port/v1/customers" 2>/dev/null && break
    kill -0 "$fake_pid" 2>/dev/null || { echo "The Stripe fake exited." >&2; exit 1; }
    sleep 0.5
  done
fi

# Each host runs from its output folder so it finds its appsettings.json.
(cd "$(bin_dir Silo)" && exec env Silo__HttpPort=$silo_http_port "${stripe_env[@]}" dotnet Platform.Silo.dll) &
silo_pid=$!
pids+=($silo_pid)
echo "Waiting for the silo..."
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$silo_http_port/health/ready" >/dev/null 2>&1 && break
  kill -0 "$silo_pid" 2>/dev/null || { echo "The silo exited." >&2; exit 1; }
  sleep 0.5
done

(cd "$(bin_dir Api)" && exec env -u Stripe__SecretKey -u Stripe__WebhookSecret -u Platform__DataKey Urls=$api_url dotnet Platform.Api.dll) &
api_pid=$!
pids+=($api_pid)
for _ in $(seq 1 120); do
  curl -fsS "$api_url/health/ready" >/dev/null 2>&1 && break
  kill -0 "$api_pid" 2>/dev/null || { echo "The API exited." >&2; exit 1; }
  sleep 0.5
done

cat <<INFO

The Platform is running.
  API           $api_url   (health: $api_url/health/ready)
  Silo health   http://127.0.0.1:$silo_http_port/health/ready
  PostgreSQL    ${ConnectionStrings__Platform%%;Password=*}
  Admin token   $admin_token_source
  Webhooks      $([ "$Webhooks__AllowPrivateNetworks" = true ] && echo "to any address, this machine's included (Webhooks__AllowPrivateNetworks=true)" || echo "to public addresses only (Webhooks__AllowPrivateNetworks=true ./run.sh allows this machine's receivers)")
  Stripe        $([ "$own_stripe_fake" = 1 ] && echo "the Stripe fake on http://127.0.0.1:$stripe_fake_port (keys in $data, objects in $data/stripe-fake)" || echo "Stripe__SecretKey from the environment")

  curl -s -X POST $api_url/v1/tenants -H "Authorization: Bearer \$ADMIN" -H 'Content-Type: application/json' -d '{"name":"Acme"}'

Ctrl-C stops everything; data is kept in $data.
INFO
wait -n "${pids[@]}" || true
