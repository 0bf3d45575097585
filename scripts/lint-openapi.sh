#!/usr/bin/env bash
# Lints the OpenAPI document with Redocly CLI's recommended rules (redocly.yaml) and fails on any
# error or warning, or on a problem an ignore file would hide.
#   scripts/lint-openapi.sh [FILE]   the document to lint; by default clients/typescript/openapi.json,
#                                    which scripts/generate-client.sh --check keeps equal to the served one
# Redocly CLI is a pinned devDependency of clients/typescript, installed here with npm ci from its
# lock file. It runs offline: its telemetry and update check are turned off.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
document="$(realpath "${1:-$repo/clients/typescript/openapi.json}")"
cd "$repo"
# shellcheck source=scripts/lib/npm.sh
source "$repo/scripts/lib/npm.sh"
log() { printf 'lint-openapi.sh: %s\n' "$*" >&2; }

npm_install "$repo/clients/typescript"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Redocly exits non-zero on errors only; the JSON report counts the warnings too.
clients/typescript/node_modules/.bin/redocly lint "$document" --config "$repo/redocly.yaml" --format=json \
  >"$work/report.json" 2>"$work/stderr.txt" || true

node -e '
  const fs = require("fs");
  const [file, document] = process.argv.slice(1);
  let report;
  try {
    report = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    process.exit(2);
  }
  for (const problem of report.problems) {
    const where = problem.location[0];
    console.log(`${problem.severity} ${problem.ruleId} at ${where.pointer} (line ${where.start?.line ?? "?"}): ${problem.message}`);
  }
  const { errors, warnings, ignored } = report.totals;
  console.log(`${document}: ${errors} errors, ${warnings} warnings, ${ignored} ignored (Redocly CLI ${report.version}, recommended rules)`);
  process.exit(errors + warnings + ignored === 0 ? 0 : 1);
' "$work/report.json" "${document#"$repo"/}" || {
  status=$?
  if [[ $status -eq 2 ]]; then
    cat "$work/stderr.txt" >&2
    log "Redocly CLI wrote no report"
  fi
  exit 1
}
