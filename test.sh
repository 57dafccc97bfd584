#!/usr/bin/env bash
# Runs every test: unit, grain (Orleans TestingHost), integration (a throwaway PostgreSQL the fixture
# starts itself, multi-silo clusters, the API over real HTTP), the Stripe fake and the deploy manifests.
# Ends with one line, "N passed, N failed", summed from the test runs' own result files.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$root"
source scripts/pg.sh

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

if ! pg_ensure_installed; then
  echo "PostgreSQL is required by the integration tests and could not be installed."
  echo "0 passed, 1 failed"
  exit 1
fi
# The fixtures run initdb/postgres as the `postgres` user when we are root; it must reach the binaries.
export PATH="$(pg_bin_dir):$PATH"

if ! dotnet build Platform.sln -c Release -nologo -clp:ErrorsOnly; then
  # No test ran; the build failure counts as one failure so the closing line cannot read as a pass.
  echo "Build failed."
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test Platform.sln -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" \
  --blame-hang-timeout 5m
status=$?

passed=0
failed=0
shopt -s nullglob
files=("$results"/*.trx)
for trx in "${files[@]}"; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
done
if [ ${#files[@]} -eq 0 ] || { [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
  # The runner failed without recording a failed test (a crash, a hang): count it.
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
