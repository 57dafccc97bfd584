#!/usr/bin/env bash
# Every hot-path benchmark of docs/BENCHMARKS.md, one after the other, each with its own stack and its
# baseline in the same run: reads, rate limiting and memory (bench/run.sh), then Stripe webhooks
# (bench/webhooks.sh). Usage ingestion and the month-end run have their own, longer runs: bench/ingest.sh,
# bench/month-end.sh.
#   bench/all.sh [--record]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
started=$(date +%s)
# One build for both (unless NO_BUILD=1), then each measures it as built.
if [ "${NO_BUILD:-0}" != 1 ]; then
  echo "building (Release)..." >&2
  (cd "$here/.." && dotnet build Platform.sln -c Release -nologo -v q -clp:ErrorsOnly >/dev/null)
fi
NO_BUILD=1 "$here/run.sh" "$@"
NO_BUILD=1 "$here/webhooks.sh" "$@"
echo "bench/all.sh: every benchmark in $(( ($(date +%s) - started) / 60 )) min $(( ($(date +%s) - started) % 60 )) s" >&2
