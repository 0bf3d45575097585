#!/usr/bin/env bash
# Runs the API (Swagger UI at /docs, the account console at /account) and says where it is and
# how to log in.
# With no database configured (ConnectionStrings__Postgres or DATABASE_URL), it starts the local
# PostgreSQL of scripts/postgres.sh first. Migrations are applied before the API starts.
# With no SMTP host configured (Email__Smtp__Host), it starts a local mail sink (smtp4dev, a tool
# of the repository's manifest), points the API at it and prints where the mails can be read;
# the sink stops when the API does.
#   scripts/run.sh [--no-build]   --no-build: run the Release build that is there (console included)
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

# The first address, as a client reaches it: a wildcard host means this machine.
base="${urls%%;*}"
base="${base%/}"
base="$(sed -E 's#://(\+|\*|0\.0\.0\.0)(:|/|$)#://127.0.0.1\2#; s#://\[::\](:|/|$)#://[::1]\1#' <<<"$base")"
# Pages (the console, mailed links) as a browser should open them: passkeys need a domain as
# relying-party id (an IP address cannot be one), and localhost is a secure context over http.
browse="$(sed -E 's#://(127\.[0-9.]+|\[::1\])(:|/|$)#://localhost\2#' <<<"$base")"

sink_url=""
if [[ -z "${Email__Smtp__Host:-}" ]]; then
  log() { echo "run.sh: $*" >&2; }
  # shellcheck source=lib/ports.sh
  source scripts/lib/ports.sh
  dotnet tool restore >/dev/null
  smtp_port="$(choose_port 2525 2599)"
  web_port="$(choose_port 5100 5199)"
  mkdir -p .local
  # Loopback only; no IMAP or POP3 (POP3 would take port 110); messages in memory (--db=).
  dotnet smtp4dev --urls="http://127.0.0.1:$web_port" --bindaddress=127.0.0.1 --smtpport="$smtp_port" \
    --imapport= --pop3port= --db= --nousersettings >.local/smtp4dev.log 2>&1 &
  sink_pid=$!
  trap 'kill "$sink_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 60); do
    if curl -fsS "http://127.0.0.1:$web_port/api/messages" >/dev/null 2>&1; then break; fi
    kill -0 "$sink_pid" 2>/dev/null || { log "the mail sink did not start (see .local/smtp4dev.log)"; exit 1; }
    sleep 1
  done
  export Email__Smtp__Host=127.0.0.1 Email__Smtp__Port="$smtp_port" Email__Smtp__Security=none
  export Email__From="${Email__From:-Paseto.Auth <no-reply@localhost>}"
  export Email__PublicBaseUrl="${Email__PublicBaseUrl:-$browse}"
  sink_url="http://127.0.0.1:$web_port"
fi

if [[ $build -eq 1 ]]; then
  # Before the API's build, which copies the console's files beside its binaries.
  log() { echo "run.sh: $*" >&2; }
  # shellcheck source=lib/npm.sh
  source scripts/lib/npm.sh
  # shellcheck source=lib/console.sh
  source scripts/lib/console.sh
  build_console "$repo" || { log "the account console did not build"; exit 1; }
  dotnet build src/Api -c Release -nologo -clp:ErrorsOnly -v quiet
fi
dotnet run --project src/Api -c Release --no-build --no-launch-profile -- migrate

if [[ "$ASPNETCORE_ENVIRONMENT" == "Development" ]]; then
  secret="${REFERER_SECRET:-${Auth__RefererSecret:-DEMO_PROJECT}}"
  secret_note="$secret (Development; REFERER_SECRET sets another)"
else
  secret="<REFERER_SECRET>"
  secret_note="the value of REFERER_SECRET (Auth:RefererSecret)"
fi
cat <<TEXT
run.sh: API: $base ($ASPNETCORE_ENVIRONMENT)
run.sh: Swagger UI: $browse/docs
run.sh: account console (sign in, passkeys, sessions, security history): $browse/account/
run.sh: the referer secret signup asks for: $secret_note
run.sh: sign up, then log in:
  curl -sS -X POST $base/v1/users/signup -H 'Content-Type: application/json' -d '{"username":"alice","email":"alice@example.com","password":"a long passphrase of my own","firstname":"Alice","referer_secret":"$secret"}'
  curl -sS -X POST $base/v1/login -H 'Content-Type: application/json' -d '{"username":"alice","password":"a long passphrase of my own"}'
TEXT
if [[ "${Metrics__Enabled:-false}" == "true" ]]; then
  echo "run.sh: metrics (Prometheus): http://${Metrics__Address:-127.0.0.1}:${Metrics__Port:-9464}/metrics"
else
  echo "run.sh: metrics are off; Metrics__Enabled=true serves them on 127.0.0.1:9464 (docs/operations.md)"
fi
if [[ -n "$sink_url" ]]; then
  echo "run.sh: mails (verification, reset, notices) go to a local sink: read them at $sink_url"
  # Not exec: the EXIT trap stops the sink after the API.
  dotnet run --project src/Api -c Release --no-build --no-launch-profile -- --urls "$urls"
  exit $?
fi
exec dotnet run --project src/Api -c Release --no-build --no-launch-profile -- --urls "$urls"
