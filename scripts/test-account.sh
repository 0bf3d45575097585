#!/usr/bin/env bash
# Runs the account console's browser tests (clients/account): Debian's Chromium, driven by
# playwright-core, against the real API (its Release build, which serves the console at /account)
# on a real PostgreSQL, with mail going to a local sink (smtp4dev). Screenshots of every page at
# 360 px and desktop width go to .local/test-results/account-console/.
# Installs what they need: the npm packages of clients/account (npm ci, from its lock file), the
# repository's dotnet tools, and Debian's chromium package when the browser is missing.
#   --no-build            use the console and the API as last built instead of building them
#   --tap FILE            also write the results as TAP to FILE (scripts/test.sh counts them from it)
#   PASETO_AUTH_TEST_DB   a server where the tests may create databases (default: scripts/postgres.sh's cluster)
#   CHROMIUM_PATH         the browser to drive (default /usr/bin/chromium)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf 'test-account.sh: %s\n' "$*" >&2; }
# shellcheck source=scripts/lib/node-tests.sh
source "$repo/scripts/lib/node-tests.sh"
parse_test_options "$@"

# shellcheck source=scripts/lib/npm.sh
source "$repo/scripts/lib/npm.sh"
if build_requested; then
  # shellcheck source=scripts/lib/console.sh
  source "$repo/scripts/lib/console.sh"
  build_console "$repo"
  dotnet build src/Api -c Release -nologo -clp:ErrorsOnly -v quiet
else
  npm_install "$repo/clients/account"
fi
[[ -f src/Api/bin/Release/net10.0/account/index.html ]] || { log "the API's build has no console: run without --no-build"; exit 1; }

ensure_chromium "$repo" || exit 1
dotnet tool restore >/dev/null

cd clients/account
rm -rf build-test
node_modules/.bin/tsc -p tsconfig.test.json

run_node_tests build-test/account/test/*.test.js
