#!/usr/bin/env bash
# Regenerates the TypeScript client in clients/typescript from the API's OpenAPI document.
#   scripts/generate-client.sh            build the API, write clients/typescript/openapi.json and
#                                         clients/typescript/src/client.ts (NSwag, clients/typescript/nswag.json)
#   scripts/generate-client.sh --check    regenerate into a temporary folder and fail, showing the
#                                         diff, when the committed files differ
#   --no-build                            use the API as last built (Release) instead of building it
# The document is read from the real host, served on a free loopback port. Serving it needs no
# database: the connection string given is never used.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

check=0
build=1
for argument in "$@"; do
  case "$argument" in
    --check) check=1 ;;
    --no-build) build=0 ;;
    *) echo "usage: $0 [--check] [--no-build]" >&2; exit 2 ;;
  esac
done

client="$repo/clients/typescript"
api_dir="$repo/src/Api/bin/Release/net10.0"
work="$(mktemp -d)"
api_pid=""
cleanup() {
  if [[ -n "$api_pid" ]]; then
    kill "$api_pid" 2>/dev/null || true
    wait "$api_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
log() { printf 'generate-client.sh: %s\n' "$*" >&2; }

if [[ $build -eq 1 ]]; then
  dotnet build src/Api -c Release -nologo -clp:ErrorsOnly -v quiet
fi
[[ -f "$api_dir/Paseto.Auth.Api.dll" ]] || { log "the API is not built (dotnet build src/Api -c Release)"; exit 1; }
dotnet tool restore >/dev/null

(
  cd "$api_dir"
  exec env ASPNETCORE_ENVIRONMENT=Development \
    ConnectionStrings__Postgres='Host=127.0.0.1;Port=1;Database=unused;Username=unused;Password=unused' \
    Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.Hosting.Lifetime=Information \
    dotnet Paseto.Auth.Api.dll --urls http://127.0.0.1:0
) >"$work/api.log" 2>&1 &
api_pid=$!

url=""
for _ in $(seq 1 120); do
  url="$(sed -n 's/.*Now listening on: \(http:[^ ]*\).*/\1/p' "$work/api.log" | head -n 1)"
  [[ -n "$url" ]] && break
  kill -0 "$api_pid" 2>/dev/null || break
  sleep 0.5
done
if [[ -z "$url" ]]; then
  cat "$work/api.log" >&2
  log "the API did not start"
  exit 1
fi

curl -sf "$url/openapi/v1.json" -o "$work/raw.json" || { log "could not fetch $url/openapi/v1.json"; exit 1; }
node -e 'const fs = require("fs"); const [input, output] = process.argv.slice(1);
  fs.writeFileSync(output, JSON.stringify(JSON.parse(fs.readFileSync(input, "utf8")), null, 2) + "\n");' \
  "$work/raw.json" "$work/openapi.json"

dotnet nswag run "$client/nswag.json" "/variables:Document=$work/openapi.json,Output=$work/client.ts" >"$work/nswag.log" 2>&1 \
  || { cat "$work/nswag.log" >&2; log "NSwag failed"; exit 1; }

# What NSwag's template cannot be told (globalThis's fetch, problem details in messages), and the
# package's README with every operation, both from the same document.
node "$client/scripts/postprocess.mjs" "$work/client.ts" || { log "post-processing the client failed"; exit 1; }
node "$client/scripts/readme.mjs" "$work/openapi.json" "$work/README.md"

if [[ $check -eq 1 ]]; then
  stale=0
  diff -u "$client/openapi.json" "$work/openapi.json" || stale=1
  diff -u "$client/src/client.ts" "$work/client.ts" || stale=1
  diff -u "$client/README.md" "$work/README.md" || stale=1
  if [[ $stale -eq 1 ]]; then
    log "clients/typescript is out of date with the API; run scripts/generate-client.sh and commit the result"
    exit 1
  fi
  echo "clients/typescript is up to date with the API"
else
  cp "$work/openapi.json" "$client/openapi.json"
  cp "$work/client.ts" "$client/src/client.ts"
  cp "$work/README.md" "$client/README.md"
  echo "wrote clients/typescript/openapi.json, src/client.ts and README.md"
fi
