#!/usr/bin/env bash
# Every hot-path benchmark of docs/BENCHMARKS.md, one after the other, each with its own stack and its
# baseline in the same run: reads, rate limiting and memory (bench/run.sh), then Stripe webhooks
# (bench/webhooks.sh). Usage ingestion has its own, longer run: bench/ingest.sh.
#   bench/all.sh [--record]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"$here/run.sh" "$@"
"$here/webhooks.sh" "$@"
