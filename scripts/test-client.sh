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
  if [[ $(id -u) -ne 0 ]]; then
    log "$CHROMIUM_PATH is missing; install Debian's chromium package (or set CHROMIUM_PATH)"
    exit 1
  fi
  log "installing Debian's chromium package"
  export DEBIAN_FRONTEND=noninteractive
  # The package lists are refreshed only when the install cannot go ahead without them.
  apt-get install -y -qq chromium >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null; }
fi

# shellcheck source=lib/npm.sh
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
