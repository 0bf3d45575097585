#!/usr/bin/env bash
# Runs the API (Swagger UI at /docs) and says where it is and how to log in.
# With no database configured (ConnectionStrings__Postgres or DATABASE_URL), it starts the local
# PostgreSQL of scripts/postgres.sh first. Migrations are applied before the API starts.
#   scripts/run.sh [--no-build]   --no-build: run the Release build that is there
#   ASPNETCORE_URLS         where to listen (default http://127.0.0.1:8000; URLS is read when it is unset)
#   ASPNETCORE_ENVIRONMENT  default Development (ephemeral token key, demo referer secret)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

build=1
for argument in "$@"; do
  case "$argument" in
    --no-build) build=0 ;;
    *) echo "usage: $0 [--no-build]" >&2; exit 2 ;;
  esac
done

if [[ -z "${ConnectionStrings__Postgres:-}" && -z "${DATABASE_URL:-}" ]]; then
  scripts/postgres.sh start
  ConnectionStrings__Postgres="$(scripts/postgres.sh url)"
  export ConnectionStrings__Postgres
  echo "run.sh: using the local PostgreSQL on $(scripts/postgres.sh status | sed 's/running on //')"
fi
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
urls="${ASPNETCORE_URLS:-${URLS:-http://127.0.0.1:8000}}"

if [[ $build -eq 1 ]]; then
  dotnet build src/Api -c Release -nologo -clp:ErrorsOnly -v quiet
fi
dotnet run --project src/Api -c Release --no-build --no-launch-profile -- migrate

# The first address, as a client reaches it: a wildcard host means this machine.
base="${urls%%;*}"
base="${base%/}"
base="$(sed -E 's#://(\+|\*|0\.0\.0\.0)(:|/|$)#://127.0.0.1\2#; s#://\[::\](:|/|$)#://[::1]\1#' <<<"$base")"
if [[ "$ASPNETCORE_ENVIRONMENT" == "Development" ]]; then
  secret="${REFERER_SECRET:-${Auth__RefererSecret:-DEMO_PROJECT}}"
  secret_note="$secret (Development; REFERER_SECRET sets another)"
else
  secret="<REFERER_SECRET>"
  secret_note="the value of REFERER_SECRET (Auth:RefererSecret)"
fi
cat <<TEXT
run.sh: API: $base ($ASPNETCORE_ENVIRONMENT)
run.sh: Swagger UI: $base/docs
run.sh: the referer secret signup asks for: $secret_note
run.sh: sign up, then log in:
  curl -sS -X POST $base/v1/users/signup -H 'Content-Type: application/json' -d '{"username":"alice","email":"alice@example.com","password":"a long passphrase of my own","firstname":"Alice","referer_secret":"$secret"}'
  curl -sS -X POST $base/v1/login -H 'Content-Type: application/json' -d '{"username":"alice","password":"a long passphrase of my own"}'
TEXT
exec dotnet run --project src/Api -c Release --no-build --no-launch-profile -- --urls "$urls"
