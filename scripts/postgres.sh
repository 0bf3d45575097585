#!/usr/bin/env bash
# A throwaway local PostgreSQL for development and tests, without Docker.
#   scripts/postgres.sh start   start (or reuse) the cluster; prints nothing else on success
#   scripts/postgres.sh stop    stop it
#   scripts/postgres.sh url     print an Npgsql connection string for the paseto_auth database
#   scripts/postgres.sh uri     the same as postgresql://user:pass@host:port/db
#   scripts/postgres.sh status  say whether it runs
#   scripts/postgres.sh psql    open psql on it
# The cluster listens on 127.0.0.1 only, on a free port, with a random password, and runs as a
# non-root user (initdb refuses root). Its state lives in .local/postgres, which git ignores.
#   PASETO_AUTH_PG_STATE  another state folder, for a second cluster of its own (the benchmark's)
#   PG_OPTIONS            extra server options, e.g. "-c shared_preload_libraries=auto_explain"
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${PASETO_AUTH_PG_STATE:-$repo/.local/postgres}"
database="paseto_auth"
superuser="paseto"

log() { printf 'postgres.sh: %s\n' "$*" >&2; }

find_bindir() {
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir 2>/dev/null || true)"
    [[ -x "$dir/initdb" ]] && { echo "$dir"; return; }
  fi
  dir="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  [[ -n "$dir" && -x "$dir/initdb" ]] && { echo "$dir"; return; }
  return 1
}

# shellcheck source=scripts/lib/apt.sh
source "$repo/scripts/lib/apt.sh"

ensure_binaries() {
  if ! bindir="$(find_bindir)"; then
    apt_install postgresql || exit 1
    bindir="$(find_bindir)" || { log "the PostgreSQL server binaries are still missing after installing Debian's postgresql"; exit 1; }
  fi
}

# Runs a command as the cluster's owner: ourselves, or a system user when we are root.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u "$owner" -- "$@"
  else
    "$@"
  fi
}

choose_owner() {
  owner="$(id -un)"
  if [[ $(id -u) -eq 0 ]]; then
    owner="postgres"
    if ! id "$owner" >/dev/null 2>&1; then
      useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
    fi
  fi
}

# The data directory must be reachable by the owner; a checkout under a private home is not.
choose_datadir() {
  mkdir -p "$state"
  if [[ -f "$state/datadir" ]]; then
    datadir="$(cat "$state/datadir")"
    return
  fi
  datadir="$state/data"
  if [[ $(id -u) -eq 0 ]] && ! runuser -u "$owner" -- test -x "$state"; then
    local hash
    hash="$(printf '%s' "$state" | sha256sum | cut -c1-12)"
    datadir="${TMPDIR:-/tmp}/paseto-auth-postgres-$hash/data"
  fi
  echo "$datadir" >"$state/datadir"
}

# shellcheck source=scripts/lib/ports.sh
source "$repo/scripts/lib/ports.sh"
first_port=25432
last_port=25631

running() {
  [[ -f "$datadir/postmaster.pid" ]] && as_owner "$bindir/pg_ctl" -D "$datadir" status >/dev/null 2>&1
}

init_cluster() {
  local pwfile
  mkdir -p "$datadir"
  chmod 700 "$datadir"
  [[ $(id -u) -eq 0 ]] && chown -R "$owner" "$(dirname "$datadir")"
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$state/password"
  chmod 600 "$state/password"
  pwfile="$(dirname "$datadir")/pwfile"
  cp "$state/password" "$pwfile"
  [[ $(id -u) -eq 0 ]] && chown "$owner" "$pwfile"
  as_owner "$bindir/initdb" -D "$datadir" -U "$superuser" --pwfile="$pwfile" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$state/initdb.log" 2>&1 || { cat "$state/initdb.log" >&2; exit 1; }
  rm -f "$pwfile"
}

start() {
  ensure_binaries
  choose_owner
  choose_datadir
  # Test runs may start at once (the integration and the system tests each call this): one of
  # them creates and starts the cluster, the others wait for it and reuse it. The server is
  # started without the lock's descriptor (9>&-), or it would hold the lock as long as it runs.
  exec 9>"$state/start.lock"
  flock 9
  if running; then return; fi
  [[ -f "$datadir/PG_VERSION" ]] || init_cluster
  local common="-c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=400"
  if [[ "${PG_FAST:-}" == "1" ]]; then
    # Throwaway test data: durability is not what the test run measures.
    common="$common -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  common="$common ${PG_OPTIONS:-}"
  local logfile port attempt next="$first_port"
  logfile="$(dirname "$datadir")/server.log"
  for attempt in 1 2 3 4 5; do
    port="$(choose_port "$next" "$last_port")"
    : >"$logfile"
    [[ $(id -u) -eq 0 ]] && chown "$owner" "$logfile"
    if as_owner "$bindir/pg_ctl" -D "$datadir" -l "$logfile" -o "-p $port $common" -w -t 60 start >/dev/null 9>&-; then
      break
    fi
    # Another process bound the port after the check: take the next one.
    if [[ $attempt -lt 5 ]] && grep -q "Address already in use" "$logfile"; then
      log "port $port was taken meanwhile; trying another"
      next=$((port + 1))
      continue
    fi
    tail -n 30 "$logfile" >&2 || true
    exit 1
  done
  echo "$port" >"$state/port"
  PGPASSWORD="$(cat "$state/password")" "$bindir/psql" -h 127.0.0.1 -p "$port" -U "$superuser" -d postgres -tAq \
    -c "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1 \
    || PGPASSWORD="$(cat "$state/password")" "$bindir/psql" -h 127.0.0.1 -p "$port" -U "$superuser" -d postgres -q \
      -c "CREATE DATABASE $database"
}

stop() {
  ensure_binaries
  choose_owner
  choose_datadir
  if running; then
    as_owner "$bindir/pg_ctl" -D "$datadir" -m fast -w stop >/dev/null
  fi
}

require_running() {
  ensure_binaries
  choose_owner
  choose_datadir
  running || { log "not running; use: scripts/postgres.sh start"; exit 1; }
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url)
    require_running
    printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s;Password=%s\n' \
      "$(cat "$state/port")" "$database" "$superuser" "$(cat "$state/password")"
    ;;
  uri)
    require_running
    printf 'postgresql://%s:%s@127.0.0.1:%s/%s\n' "$superuser" "$(cat "$state/password")" "$(cat "$state/port")" "$database"
    ;;
  status)
    ensure_binaries; choose_owner; choose_datadir
    if running; then echo "running on 127.0.0.1:$(cat "$state/port")"; else echo "stopped"; exit 3; fi
    ;;
  psql)
    require_running
    PGPASSWORD="$(cat "$state/password")" exec "$bindir/psql" -h 127.0.0.1 -p "$(cat "$state/port")" -U "$superuser" -d "$database" "${@:2}"
    ;;
  *)
    echo "usage: $0 start|stop|url|uri|status|psql" >&2
    exit 2
    ;;
esac
