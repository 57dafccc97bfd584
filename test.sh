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

# Test servers (PostgreSQL) whose owning test process is gone: left by an earlier run that was killed.
# Only folders carrying the fixtures' owner marker are touched, and only when that owner is dead.
sweep_test_servers() {
  local dir owner pid swept=0
  for dir in "${TMPDIR:-/tmp}"/platform-test-pg-*; do
    [ -d "$dir" ] && [ -f "$dir/platform-test-owner" ] || continue
    owner=$(cat "$dir/platform-test-owner" 2>/dev/null)
    [ -n "$owner" ] && [ -d "/proc/$owner" ] && continue
    if [ -f "$dir/postmaster.pid" ]; then
      pid=$(head -1 "$dir/postmaster.pid")
      [ -n "$pid" ] && kill -INT "$pid" 2>/dev/null
      for _ in $(seq 50); do [ -n "$pid" ] && [ -d "/proc/$pid" ] || break; sleep 0.1; done
    fi
    rm -rf "$dir"
    swept=$((swept + 1))
  done
  echo "$swept"
}
swept=$(sweep_test_servers)
[ "$swept" -gt 0 ] && echo "Swept $swept test PostgreSQL server(s) left by an earlier run."

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
# Every server this run started must be gone once its test process is (the fixtures' watchdog stops it
# within a second or two); a leftover is a failure of the fixtures, counted as such.
leftover=0
for _ in $(seq 30); do
  leftover=0
  for dir in "${TMPDIR:-/tmp}"/platform-test-pg-*; do
    [ -f "$dir/platform-test-owner" ] || continue
    owner=$(cat "$dir/platform-test-owner" 2>/dev/null)
    [ -n "$owner" ] && [ -d "/proc/$owner" ] && continue
    leftover=$((leftover + 1))
  done
  [ "$leftover" -eq 0 ] && break
  sleep 0.5
done
if [ "$leftover" -gt 0 ]; then
  echo "$leftover test PostgreSQL server(s) outlived their test process; sweeping them."
  sweep_test_servers >/dev/null
  failed=$((failed + 1))
else
  echo "No test PostgreSQL server left running."
fi
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
