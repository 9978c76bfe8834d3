#!/usr/bin/env bash
# The project's test command (README): starts throwaway Redis, PostgreSQL/PostGIS (and makes sure
# Chromium is installed), runs every test project of ControlRoom.sln on Microsoft.Testing.Platform,
# and ends with one line "N passed, N failed" (", N skipped" when any). Extra arguments go to
# `dotnet test`. Exits non-zero when dotnet test fails or when no test was executed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/controlroom-test.XXXXXX")"

cleanup() {
  local status=$?
  bash "$ROOT/scripts/services.sh" stop "$TMP" >/dev/null 2>&1 || true
  rm -rf "$TMP"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

bash "$ROOT/scripts/services.sh" start "$TMP"
# shellcheck source=/dev/null
source "$TMP/env.sh"

cd "$ROOT"
# The OpenID Connect provider the sign-in tests run (panva/oidc-provider, pinned by its lock file).
npm ci --prefix tests/oidc-provider --no-audit --no-fund --silent
set +e
# One test module at a time: the browser tests assert the issues' time limits (an alert on two
# screens within 2 s, a change seen by another operator within 1 s), which must not measure two
# other test modules competing for this machine's two cores. It costs about half a minute.
dotnet test --solution ControlRoom.sln --max-parallel-test-modules 1 "$@" 2>&1 | tee "$TMP/test.log"
test_rc=${PIPESTATUS[0]}
set -e

# Microsoft.Testing.Platform closes with a summary: "total: N", "failed: N", "succeeded: N", "skipped: N".
count() { grep -E "^[[:space:]]+$1: [0-9]+" "$TMP/test.log" | tail -n 1 | grep -Eo '[0-9]+' || echo 0; }
passed="$(count succeeded)"
failed="$(count failed)"
skipped="$(count skipped)"
summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"

executed=$((passed + failed))
if [ "$test_rc" -ne 0 ]; then
  echo "dotnet test failed (exit $test_rc)" >&2
elif [ "$executed" -eq 0 ]; then
  echo "no test was executed" >&2
fi
echo "$summary"
if [ "$test_rc" -ne 0 ]; then exit "$test_rc"; fi
if [ "$executed" -eq 0 ]; then exit 1; fi
