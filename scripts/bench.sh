#!/usr/bin/env bash
# The benchmark command (docs/BENCHMARKS.md): starts a throwaway Redis the way the tests do, builds the
# solution in Release, runs tests/ControlRoom.Benchmarks against it and stops Redis on exit.
#
#   scripts/bench.sh                  full size (N=50000 events, 4 screens, 200 alerts at 20/s)
#   scripts/bench.sh --quick          smoke run (N=5000, 2 screens, 40 alerts)
#   scripts/bench.sh --events 20000 --screens 2 ...   any benchmark argument except --redis
#
# CONTROLROOM_BENCH_NO_BUILD=1 skips the build (the Release output must already exist).
# Exits non-zero when the build or the benchmark fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/controlroom-bench.XXXXXX")"

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

# The tests' own servers (Redis and PostgreSQL; the benchmark uses only Redis).
bash "$ROOT/scripts/services.sh" start "$TMP"
# shellcheck source=/dev/null
source "$TMP/env.sh"
REDIS="$CONTROLROOM_TEST_REDIS"

cd "$ROOT"
if [ "${CONTROLROOM_BENCH_NO_BUILD:-}" != "1" ]; then
  dotnet build ControlRoom.sln -c Release -v quiet -nologo
fi
dotnet tests/ControlRoom.Benchmarks/bin/Release/net10.0/ControlRoom.Benchmarks.dll --redis "$REDIS" "$@"
