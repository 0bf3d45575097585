#!/usr/bin/env bash
# Three API instances behind nginx on one PostgreSQL, on this machine.
#   scripts/cluster.sh start [--no-build]   build Release (unless --no-build), start (or reuse)
#                                           PostgreSQL, migrate, start three instances and nginx;
#                                           prints the URL
#   scripts/cluster.sh stop                 stop nginx and the instances (and the PostgreSQL that
#                                           start started)
#   scripts/cluster.sh status               say what runs where
#   scripts/cluster.sh url                  print nginx's URL
#   scripts/cluster.sh install-nginx        install Debian's nginx package when nginx is missing
# nginx alone, in front of instances someone else runs (the integration tests use these):
#   scripts/cluster.sh proxy-start PORT...  start nginx over API instances on 127.0.0.1:PORT; prints the URL
#   scripts/cluster.sh proxy-reload PORT... the same upstreams again; PORT:down takes one out of
#                                           rotation (a rolling restart drains it first); waits
#                                           until the old workers have finished their requests
#   scripts/cluster.sh proxy-stop           stop nginx
# Everything listens on 127.0.0.1 only, on free ports from 28080 up (below the kernel's ephemeral
# range). nginx runs as the current user (its workers as nobody when that is root) from a config in
# the state folder (.local/cluster, which git ignores), filled in from
# scripts/cluster/nginx.conf.template: its pid file, logs and temporary files live there too, never
# in /etc or /var.
# nginx balances round-robin, sets X-Forwarded-For (the client's address) and X-Forwarded-Proto,
# and tells which instance answered in an X-Upstream header. The instances believe X-Forwarded-For
# from 127.0.0.1 only (Network:KnownProxies), so throttling keys on the real client's address.
# A request whose connection to an instance fails is passed to the next one (nginx's default
# proxy_next_upstream "error timeout"); a POST or PATCH that reached an instance is never sent
# twice (no "non_idempotent").
#   CLUSTER_STATE                       another state folder
#   ConnectionStrings__Postgres, DATABASE_URL
#                                       the database; without one, scripts/postgres.sh's cluster
#   Paseto__Keys__0 (…__1, …), SECRET_KEY
#                                       the token keys; without them a key made once is kept in
#                                       the state folder (readable by its owner only)
#   Auth__Mfa__Keys__0 (…__1, …)        the second-factor key; without it one is made and kept there too
#   REFERER_SECRET                      the signup secret; without it one is made and kept there too
#   ASPNETCORE_ENVIRONMENT              default Production
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${CLUSTER_STATE:-$repo/.local/cluster}"
api_dll="$repo/src/Api/bin/Release/net10.0/Paseto.Auth.Api.dll"
instances=3

log() { printf 'cluster.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# --- nginx -------------------------------------------------------------------------------------

find_nginx() {
  local candidate
  for candidate in "$(command -v nginx 2>/dev/null || true)" /usr/sbin/nginx; do
    [[ -n "$candidate" && -x "$candidate" ]] && { echo "$candidate"; return; }
  done
  return 1
}

# shellcheck source=scripts/lib/apt.sh
source "$repo/scripts/lib/apt.sh"

install_nginx() {
  find_nginx >/dev/null && return
  apt_install nginx || exit 1
  find_nginx >/dev/null || die "nginx is still missing after installing Debian's nginx"
}

require_nginx() {
  nginx="$(find_nginx)" || die "nginx is not installed; run scripts/cluster.sh install-nginx (or apt-get install nginx)"
}

# shellcheck source=scripts/lib/ports.sh
source "$repo/scripts/lib/ports.sh"
first_port=28080
last_port=28279

# When root, nginx's workers run as nobody: their temporary files go where nobody can reach.
temp_dir() {
  if [[ $(id -u) -eq 0 ]] && ! runuser -u nobody -- test -x "$state" 2>/dev/null; then
    echo "${TMPDIR:-/tmp}/paseto-auth-nginx-$(printf '%s' "$state" | sha256sum | cut -c1-12)"
  else
    echo "$state/tmp"
  fi
}

# Prints TEMPLATE with its @name@ placeholders filled from the NAME=VALUE pairs; fails on a
# placeholder left unfilled.
render_template() { # TEMPLATE NAME=VALUE...
  local template="$1" text pair
  text="$(<"$template")"
  shift
  for pair in "$@"; do
    # Quoted, so an "&" in the value stays itself (bash 5.2's patsub_replacement).
    text="${text//@${pair%%=*}@/"${pair#*=}"}"
  done
  if [[ "$text" =~ @[a-z_]+@ ]]; then
    die "${template#"$repo"/}: ${BASH_REMATCH[0]} is not filled"
  fi
  printf '%s\n' "$text"
}

# Writes nginx.conf for listening on $1 in front of the instances $2…; "PORT:down" is out of rotation.
# The template's placeholders: state (the state folder: pid file, logs), temp (nginx's temporary
# files), user (the workers' user when root), listen (nginx's port on 127.0.0.1) and upstreams (a
# "server 127.0.0.1:PORT …;" line for each instance).
write_nginx_conf() {
  local listen="$1" upstreams=() port tmp user=""
  shift
  for port in "$@"; do
    if [[ "$port" == *:down ]]; then
      upstreams+=("        server 127.0.0.1:${port%:down} down;")
    else
      upstreams+=("        server 127.0.0.1:$port max_fails=1 fail_timeout=2s;")
    fi
  done
  tmp="$(temp_dir)"
  mkdir -p "$tmp"
  if [[ $(id -u) -eq 0 ]]; then
    chown nobody "$tmp"
    user="user nobody nogroup;"
  fi
  render_template "$repo/scripts/cluster/nginx.conf.template" "state=$state" "temp=$tmp" "user=$user" "listen=$listen" \
    "upstreams=$(printf '%s\n' "${upstreams[@]}")" >"$state/nginx.conf.new"
  mv "$state/nginx.conf.new" "$state/nginx.conf"
}

nginx_pid() {
  [[ -f "$state/nginx.pid" ]] && kill -0 "$(cat "$state/nginx.pid")" 2>/dev/null && cat "$state/nginx.pid"
}

run_nginx() { "$nginx" -p "$state" -c "$state/nginx.conf" -e "$state/nginx-error.log" "$@"; }

# Starts nginx in front of the given instance ports, on a free port; retries when the port is
# taken between the check and the bind.
proxy_start() {
  [[ $# -gt 0 ]] || die "usage: $0 proxy-start PORT..."
  require_nginx
  mkdir -p "$state"
  proxy_stop
  local port attempt next="$first_port"
  for attempt in 1 2 3 4 5; do
    port="$(choose_port "$next" "$last_port")"
    write_nginx_conf "$port" "$@"
    : >"$state/nginx-error.log"
    if run_nginx 2>>"$state/nginx-error.log"; then
      echo "$port" >"$state/nginx.port"
      printf '%s\n' "$@" >"$state/nginx.upstreams"
      echo "http://127.0.0.1:$port"
      return
    fi
    if [[ $attempt -lt 5 ]] && grep -q "Address already in use" "$state/nginx-error.log"; then
      log "port $port was taken meanwhile; trying another"
      next=$((port + 1))
      continue
    fi
    tail -n 20 "$state/nginx-error.log" >&2
    die "nginx did not start"
  done
}

# The processes whose parent is $1; any may exit while we read.
children() {
  local stat fields
  for stat in /proc/[0-9]*/stat; do
    read -r -a fields 2>/dev/null <"$stat" || continue
    [[ "${fields[3]}" == "$1" ]] && echo "${fields[0]}"
  done
  return 0
}

# Rewrites the upstreams and reloads; returns once the workers of the old config have exited,
# so an instance marked down gets no more requests.
proxy_reload() {
  [[ $# -gt 0 ]] || die "usage: $0 proxy-reload PORT[:down]..."
  require_nginx
  local master old
  master="$(nginx_pid)" || die "nginx is not running"
  old="$(children "$master" | tr '\n' ' ')"
  write_nginx_conf "$(cat "$state/nginx.port")" "$@"
  run_nginx -s reload
  local deadline=$((SECONDS + 30)) pid
  for pid in $old; do
    while kill -0 "$pid" 2>/dev/null; do
      [[ $SECONDS -lt $deadline ]] || die "nginx's old worker $pid did not finish within 30 s"
      sleep 0.05
    done
  done
}

proxy_stop() {
  local pid
  if pid="$(nginx_pid)"; then
    kill -QUIT "$pid"
    local deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null && [[ $SECONDS -lt $deadline ]]; do sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$state/nginx.pid"
  rm -rf "$(temp_dir)"
}

# --- the instances and their database ----------------------------------------------------------

live() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'GET /health/live HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    IFS= read -r status <&3
    [[ "$status" == *" 200 "* ]]
  ) 2>/dev/null
}

# A value made once and kept in the state folder, readable by its owner only.
kept_secret() {
  local file="$state/$1"
  if [[ ! -s "$file" ]]; then
    (umask 077 && "${@:2}" >"$file.new") && mv "$file.new" "$file"
  fi
  cat "$file"
}

database() {
  if [[ -n "${ConnectionStrings__Postgres:-}" || -n "${DATABASE_URL:-}" ]]; then
    return
  fi
  if ! "$repo/scripts/postgres.sh" status >/dev/null 2>&1; then
    "$repo/scripts/postgres.sh" start
    touch "$state/postgres-started"
  fi
  ConnectionStrings__Postgres="$("$repo/scripts/postgres.sh" url)"
  export ConnectionStrings__Postgres
}

instance_pid() {
  local file="$state/api-$1.pid"
  [[ -f "$file" ]] && kill -0 "$(cat "$file")" 2>/dev/null && cat "$file"
}

# Starts instance $1 on a free port from $2 up; echoes the port.
start_instance() {
  local n="$1" next="$2" port attempt pid
  for attempt in 1 2 3 4 5; do
    port="$(choose_port "$next" "$last_port")"
    # From the build's folder: the content root, where appsettings*.json are.
    (cd "$(dirname "$api_dll")" && exec dotnet "$api_dll" --urls "http://127.0.0.1:$port") >"$state/api-$n.log" 2>&1 &
    pid=$!
    echo "$pid" >"$state/api-$n.pid"
    local deadline=$((SECONDS + 60))
    while ! live "$port"; do
      if ! kill -0 "$pid" 2>/dev/null; then
        if [[ $attempt -lt 5 ]] && grep -qi "address already in use" "$state/api-$n.log"; then
          log "port $port was taken meanwhile; trying another"
          next=$((port + 1))
          continue 2
        fi
        tail -n 30 "$state/api-$n.log" >&2
        die "instance $n exited"
      fi
      [[ $SECONDS -lt $deadline ]] || die "instance $n did not answer within 60 s (log: $state/api-$n.log)"
      sleep 0.2
    done
    echo "$port" >"$state/api-$n.port"
    echo "$port"
    return
  done
}

start() {
  local build=1
  for arg in "$@"; do
    case "$arg" in
      --no-build) build=0 ;;
      *) die "unknown option $arg" ;;
    esac
  done
  install_nginx
  require_nginx
  mkdir -p "$state"
  if nginx_pid >/dev/null; then
    echo "http://127.0.0.1:$(cat "$state/nginx.port")"
    return
  fi
  # Instances left from a start that did not finish.
  stop_instances
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
  if [[ $build -eq 1 ]]; then
    dotnet build "$repo/src/Api" -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null
  fi
  [[ -f "$api_dll" ]] || die "no Release build; run without --no-build"
  database
  export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"
  (cd "$(dirname "$api_dll")" && dotnet "$api_dll" migrate) >"$state/migrate.log" 2>&1 || { cat "$state/migrate.log" >&2; die "migrate failed"; }
  if [[ -z "${Paseto__Keys__0:-}" && -z "${SECRET_KEY:-}" ]]; then
    Paseto__Keys__0="$(kept_secret paseto-key sh -c "dotnet '$api_dll' generate-keys | grep '^k4\.'")"
    export Paseto__Keys__0
  fi
  if [[ -z "${Auth__Mfa__Keys__0:-}" ]]; then
    # Kept like the token key: a new one at each start would lock out every enrolled authenticator.
    Auth__Mfa__Keys__0="$(kept_secret mfa-key sh -c "dotnet '$api_dll' generate-keys --purpose local | grep '^k4\.'")"
    export Auth__Mfa__Keys__0
  fi
  if [[ -z "${REFERER_SECRET:-}" && -z "${Auth__RefererSecret:-}" ]]; then
    REFERER_SECRET="$(kept_secret referer-secret sh -c "head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'")"
    export REFERER_SECRET
  fi
  # nginx connects from 127.0.0.1: its X-Forwarded-For names the client.
  export Network__KnownProxies__0=127.0.0.1
  local n port ports=() next=$((first_port + 1))
  for n in $(seq 1 "$instances"); do
    port="$(start_instance "$n" "$next")"
    ports+=("$port")
    next=$((port + 1))
  done
  proxy_start "${ports[@]}"
}

stop_instances() {
  local n pid pids=()
  for n in $(seq 1 "$instances"); do
    if pid="$(instance_pid "$n")"; then
      kill -TERM "$pid"
      pids+=("$pid")
    fi
    rm -f "$state/api-$n.pid"
  done
  # SIGTERM lets requests in flight finish (Hosting:ShutdownTimeout, 30 s by default).
  local deadline=$((SECONDS + 40))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [[ $SECONDS -lt $deadline ]]; do sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  done
  return 0
}

stop() {
  proxy_stop
  stop_instances
  if [[ -f "$state/postgres-started" ]]; then
    "$repo/scripts/postgres.sh" stop
    rm -f "$state/postgres-started"
  fi
}

status() {
  local n pid running=0
  if pid="$(nginx_pid)"; then
    echo "nginx: http://127.0.0.1:$(cat "$state/nginx.port") (pid $pid)"
    running=1
  else
    echo "nginx: stopped"
  fi
  for n in $(seq 1 "$instances"); do
    if pid="$(instance_pid "$n")"; then
      echo "instance $n: http://127.0.0.1:$(cat "$state/api-$n.port") (pid $pid)"
      running=1
    else
      echo "instance $n: stopped"
    fi
  done
  [[ $running -eq 1 ]] || exit 3
}

case "${1:-}" in
  start) start "${@:2}" ;;
  stop) stop ;;
  status) status ;;
  url)
    nginx_pid >/dev/null || die "not running; use: scripts/cluster.sh start"
    echo "http://127.0.0.1:$(cat "$state/nginx.port")"
    ;;
  install-nginx) install_nginx ;;
  proxy-start) proxy_start "${@:2}" ;;
  proxy-reload) proxy_reload "${@:2}" ;;
  proxy-stop) proxy_stop ;;
  -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;p}' "$0" ;;
  *)
    echo "usage: $0 start [--no-build]|stop|status|url|install-nginx|proxy-start PORT...|proxy-reload PORT[:down]...|proxy-stop" >&2
    exit 2
    ;;
esac
