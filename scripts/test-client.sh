#!/usr/bin/env bash
# Runs the TypeScript client's tests (clients/typescript): end to end through the generated client
# against the real API on a real PostgreSQL, and /docs in headless Chromium.
# Installs what they need: the npm packages of clients/typescript (npm ci, from its lock file) and
# Debian's chromium package when the browser is missing.
#   --no-build            use the API as last built (Release) instead of building it
#   --tap FILE            also write the results as TAP to FILE (scripts/test.sh counts them from it)
#   PASETO_AUTH_TEST_DB   a server where the tests may create databases (default: scripts/postgres.sh's cluster)
#   CHROMIUM_PATH         the browser to drive (default /usr/bin/chromium)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

build=1
tap=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=0 ;;
    --tap) tap="${2:?--tap needs a file}"; shift ;;
    *) echo "usage: $0 [--no-build] [--tap FILE]" >&2; exit 2 ;;
  esac
  shift
done
log() { printf 'test-client.sh: %s\n' "$*" >&2; }

if [[ $build -eq 1 ]]; then
  dotnet build src/Api -c Release -nologo -clp:ErrorsOnly -v quiet
fi

export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ ! -x "$CHROMIUM_PATH" ]]; then
  # shellcheck source=scripts/lib/apt.sh
  source "$repo/scripts/lib/apt.sh"
  apt_install chromium || exit 1
  [[ -x "$CHROMIUM_PATH" ]] || { log "$CHROMIUM_PATH is missing; set CHROMIUM_PATH to the browser"; exit 1; }
fi

# shellcheck source=scripts/lib/npm.sh
source "$repo/scripts/lib/npm.sh"
npm_install "$repo/clients/typescript"
cd clients/typescript

rm -rf dist
node_modules/.bin/tsc -p .

reporters=(--test-reporter=spec --test-reporter-destination=stdout)
if [[ -n "$tap" ]]; then
  mkdir -p "$(dirname "$tap")"
  reporters+=(--test-reporter=tap "--test-reporter-destination=$tap")
fi
node --test "${reporters[@]}" dist/test/*.test.js
