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

log() { printf 'test-client.sh: %s\n' "$*" >&2; }
# shellcheck source=scripts/lib/node-tests.sh
source "$repo/scripts/lib/node-tests.sh"
parse_test_options "$@"

if build_requested; then
  dotnet build src/Api -c Release -nologo -clp:ErrorsOnly -v quiet
fi

ensure_chromium "$repo" || exit 1

# shellcheck source=scripts/lib/npm.sh
source "$repo/scripts/lib/npm.sh"
npm_install "$repo/clients/typescript"
cd clients/typescript

rm -rf dist
node_modules/.bin/tsc -p .

run_node_tests dist/test/*.test.js
