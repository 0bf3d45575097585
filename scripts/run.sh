#!/usr/bin/env bash
# Runs the API on http://127.0.0.1:8000 (Swagger UI at /docs).
# With no database configured (ConnectionStrings__Postgres or DATABASE_URL), it starts the local
# PostgreSQL of scripts/postgres.sh first. Migrations are applied before the API starts.
#   URLS                    where to listen (default http://127.0.0.1:8000)
#   ASPNETCORE_ENVIRONMENT  default Development (ephemeral token key, demo referer secret)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [[ -z "${ConnectionStrings__Postgres:-}" && -z "${DATABASE_URL:-}" ]]; then
  scripts/postgres.sh start
  ConnectionStrings__Postgres="$(scripts/postgres.sh url)"
  export ConnectionStrings__Postgres
  echo "run.sh: using the local PostgreSQL on $(scripts/postgres.sh status | sed 's/running on //')"
fi
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"

dotnet build src/Api -c Release -nologo -clp:ErrorsOnly -v quiet
dotnet run --project src/Api -c Release --no-build --no-launch-profile -- migrate
exec dotnet run --project src/Api -c Release --no-build --no-launch-profile -- --urls "${URLS:-http://127.0.0.1:8000}"
