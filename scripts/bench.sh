#!/usr/bin/env bash
# The HTTP load benchmark: the API beside a ceiling app (bench/Ceiling), driven by wrk over
# loopback on this machine, every load bounded in time.
#   scripts/bench.sh             full run (about 18 minutes): every scenario at 1,000 users, then
#                                the scale run at 1,000,000 users; writes the measured section of
#                                docs/performance.md
#   scripts/bench.sh --quick     smoke run for CI (under 2 minutes): a few seconds a scenario,
#                                1,000 users, no scale run; writes .local/bench/results.md only
#   --no-build                   use the Release build already there (scripts/test.sh has built it)
# It exits non-zero when a scenario got no answer at all, or one it must never get: a socket
# error or timeout, or a status outside 2xx (in the login storm: outside 200/401/429). Targets are reported, never
# asserted: the numbers move with the machine and its load.
#   BENCH_DURATION, BENCH_WARMUP   seconds per scenario (default 20 and 15, and 40 to warm up a
#                                  process's first scenario; --quick: 3 and 1)
#   BENCH_KEEP_DB=1                leave the benchmark's PostgreSQL running afterwards
#   BENCH_SCENARIOS=a,b,...        run only these scenarios (the rest are reported as skipped):
#                                  ping, headline (the ceiling's GET /db and GET /v1/users/me with
#                                  both purposes, in rounds), introspect (POST /v1/token/introspect
#                                  of live tokens, in the same rounds), sessions, posts, refresh, login
#                                  (with the bare Argon2id rate just before it), storm, signup,
#                                  scale; default all of them
#   BENCH_ROUNDS                   rounds of the headline (default 3, --quick: 1)
#   BENCH_TELEMETRY=1              run the API instrumented: the Prometheus endpoint on (on a port of
#                                  its own, unscraped) and traces and metrics exported over OTLP/HTTP
#                                  to a receiver on loopback that accepts everything (the ceiling's
#                                  otlp-sink); the run fails if no export arrived
#   BENCH_COMPARE=telemetry|no-auto-prepare
#                                  an A/B run instead of the full one: a second API beside the first,
#                                  instrumented as with BENCH_TELEMETRY=1, or with "Max Auto Prepare=0"
#                                  in its connection string (as behind PgBouncer); every round runs each
#                                  of BENCH_COMPARE_SCENARIOS on both, the order swapped every other
#                                  round (BENCH_ROUNDS, default 3; --quick: 1), no ceiling, no scale
#                                  run; the table goes to .local/bench/results.md only
#   BENCH_COMPARE_SCENARIOS=me,refresh,login
#                                  the A/B run's scenarios (me is GET /v1/users/me; default me)
#   BENCH_FIRST_WARMUP             seconds of warm-up for a fresh process's first scenario (default 40)
#   BENCH_API_ENV                  more settings for every API, space-separated NAME=VALUE words (e.g.
#                                  Auth__SessionCache__Enabled=false: every bearer check reads the database)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

quick=0
build=1
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "bench.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

scenarios=",${BENCH_SCENARIOS:-ping,headline,introspect,sessions,posts,refresh,login,storm,signup,scale},"
for s in ${scenarios//,/ }; do
  case "$s" in
    ping | headline | introspect | sessions | posts | refresh | login | storm | signup | scale) ;;
    "") ;;
    *) echo "bench.sh: unknown scenario $s in BENCH_SCENARIOS" >&2; exit 2 ;;
  esac
done
wants() { [[ "$scenarios" == *",$1,"* ]]; }

log() { printf 'bench.sh [%3d s]: %s\n' "$SECONDS" "$*" >&2; }
die() { log "$*"; exit 1; }

# --- settings --------------------------------------------------------------------------------
threads=2               # wrk threads; wrk shares the cores with the API and PostgreSQL
connections=64          # the GET scenarios and refresh
hash_connections=16     # login and signup: each request is one Argon2id hash
storm_connections=500
users=1000 sessions=200 posts=1000
scale_users=1000000 scale_sessions=200000 scale_posts=1000000
password="correct horse battery staple"
if [[ $quick -eq 1 ]]; then
  duration="${BENCH_DURATION:-3}" warmup="${BENCH_WARMUP:-1}" hash_seconds=1 first_warmup="${BENCH_WARMUP:-1}" rounds="${BENCH_ROUNDS:-1}"
  connections=16  # fewer tokens to log in for; the storm keeps its 500
else
  duration="${BENCH_DURATION:-20}" warmup="${BENCH_WARMUP:-15}" hash_seconds=5 first_warmup="${BENCH_FIRST_WARMUP:-40}" rounds="${BENCH_ROUNDS:-3}"
fi

work="$repo/.local/bench"
run="$work/run"
rm -rf "$run"
mkdir -p "$run"
results="$run/results.jsonl"
: >"$results"
# A PostgreSQL cluster of its own, made fresh for every run (scripts/postgres.sh's state folder).
export PASETO_AUTH_PG_STATE="$work/postgres"

# --- tools -----------------------------------------------------------------------------------
# shellcheck source=scripts/lib/apt.sh
source "$repo/scripts/lib/apt.sh"
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v jq >/dev/null 2>&1 || missing+=(jq)
[[ ${#missing[@]} -eq 0 ]] || apt_install "${missing[@]}" || exit 1

api_dll="$repo/src/Api/bin/Release/net10.0/Paseto.Auth.Api.dll"
ceiling_dll="$repo/bench/Ceiling/bin/Release/net10.0/Paseto.Auth.Ceiling.dll"
seed_dll="$repo/bench/Seed/bin/Release/net10.0/Paseto.Auth.Seed.dll"
if [[ $build -eq 1 ]]; then
  log "building Release"
  dotnet build src/Api -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null
  dotnet build bench/Ceiling -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null
  dotnet build bench/Seed -c Release -nologo -clp:ErrorsOnly -v quiet >/dev/null
fi
[[ -f "$api_dll" && -f "$ceiling_dll" && -f "$seed_dll" ]] || die "no Release build; run without --no-build"

# --- processes -------------------------------------------------------------------------------
api_pid=""
public_pid=""
ceiling_pid=""
sampler_pid=""
variant_pid=""
sink_pid=""

remove_database() {
  scripts/postgres.sh stop >/dev/null 2>&1 || true
  if [[ -f "$PASETO_AUTH_PG_STATE/datadir" ]]; then
    local parent
    parent="$(dirname "$(cat "$PASETO_AUTH_PG_STATE/datadir")")"
    [[ "$parent" == */paseto-auth-postgres-* ]] && rm -rf "$parent"
  fi
  rm -rf "$PASETO_AUTH_PG_STATE"
}

stop_process() {
  local pid="$1"
  [[ -n "$pid" ]] || return 0
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  stop_process "$sampler_pid"
  stop_process "$api_pid"
  stop_process "$public_pid"
  stop_process "$ceiling_pid"
  stop_process "$variant_pid"
  stop_process "$sink_pid"
  [[ "${BENCH_KEEP_DB:-0}" == "1" ]] || remove_database
}
trap cleanup EXIT

# shellcheck source=scripts/lib/ports.sh
source "$repo/scripts/lib/ports.sh"

wait_ready() { # URL PID LOGFILE
  local _
  for _ in $(seq 1 120); do
    curl -fs -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || { tail -n 30 "$3" >&2; die "the process serving $1 exited"; }
    sleep 0.5
  done
  die "$1 did not answer within 60 s"
}

psql_bench() { scripts/postgres.sh psql -X -q -v ON_ERROR_STOP=1 "$@"; }
sql_value() { psql_bench -tA -c "$1"; }

log "starting a fresh PostgreSQL"
remove_database
PG_OPTIONS="-c shared_preload_libraries=auto_explain" scripts/postgres.sh start
db_url="$(scripts/postgres.sh url)"
pg_log="$(dirname "$(cat "$PASETO_AUTH_PG_STATE/datadir")")/server.log"

referer_secret="bench-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
base_env=(ASPNETCORE_ENVIRONMENT=Production "ConnectionStrings__Postgres=$db_url" Logging__LogLevel__Default=Warning)
new_key() { dotnet "$api_dll" generate-keys --purpose "$1" | tail -n 1; }
local_key="$(new_key local)"
public_key="$(new_key public)"
mfa_key="$(new_key local)"
# A resource server's introspection credential: the API is given only its SHA-256, as an operator
# configures it; its budget is raised so the scenario measures introspection, not 429s.
introspect_secret="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
introspect_basic="$(printf 'bench:%s' "$introspect_secret" | base64 -w0)"
introspect_hash="$(printf '%s' "$introspect_secret" | sha256sum | cut -d' ' -f1)"

# The receiving end of the instrumented API's OTLP exports (bench/Ceiling's otlp-sink); sets sink.
start_otlp_sink() {
  local port
  port="$(choose_port 19564 19663)"
  env "${base_env[@]}" dotnet "$ceiling_dll" otlp-sink --urls "http://127.0.0.1:$port" >"$run/otlp-sink.log" 2>&1 &
  sink_pid=$!
  sink="http://127.0.0.1:$port"
  wait_ready "$sink/stats" "$sink_pid" "$run/otlp-sink.log"
}

# What the sink received; fails the run when nothing did (the instrumented rows would be wrong).
check_otlp_sink() {
  local stats
  stats="$(curl -fs "$sink/stats")" || die "the OTLP sink does not answer"
  log "OTLP sink received $(jq -r '"\(.requests) exports, \(.bytes) bytes"' <<<"$stats")"
  [[ "$(jq -r .requests <<<"$stats")" -gt 0 ]] || die "the instrumented API exported nothing to the OTLP sink"
}

# The API as an operator runs it in Production, with a session limit that the login scenarios
# cannot reach and access tokens that outlive the run. VARIANT: telemetry (the scrape endpoint on,
# traces and metrics exported to the sink) or no-auto-prepare (as behind PgBouncer 1.18).
api_env() { # PURPOSE KEY [VARIANT]: sets api_vars
  api_vars=("${base_env[@]}" "Paseto__Purpose=$1" "Paseto__Keys__0=$2" "Auth__Mfa__Keys__0=$mfa_key" "REFERER_SECRET=$referer_secret"
    Auth__Sessions__MaxActive=1000000 ACCESS_TOKEN_EXPIRE_MINUTES=240
    Introspection__Clients__0__Id=bench "Introspection__Clients__0__Secret=$introspect_hash" Introspection__RequestsPerMinute=100000000
    Auth__Throttling__SignupsPerAddressPerHour=100000000 Auth__Throttling__SignupsPerHour=100000000)
  local -a extra
  read -ra extra <<<"${BENCH_API_ENV:-}"
  api_vars+=("${extra[@]}")
  case "${3:-}" in
    telemetry)
      api_vars+=(Metrics__Enabled=true "Metrics__Port=$(choose_port 19464 19563)"
        "OTEL_EXPORTER_OTLP_ENDPOINT=$sink" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf) ;;
    # env takes the last of two assignments: this one replaces base_env's.
    no-auto-prepare) api_vars+=("ConnectionStrings__Postgres=$db_url;Max Auto Prepare=0") ;;
  esac
}
full_variant=""
[[ "${BENCH_TELEMETRY:-0}" == "1" ]] && full_variant=telemetry

log "migrating"
api_env local "$local_key"
env "${api_vars[@]}" dotnet "$api_dll" migrate >"$run/migrate.log" 2>&1 || { cat "$run/migrate.log" >&2; die "migrate failed"; }

# Starts the API for a purpose (and variant); sets server_pid and server_url.
start_api() { # PURPOSE KEY [VARIANT]
  local port log="$run/api-$1${3:+-$3}.log"
  port="$(choose_port 18080 18179)"
  api_env "$1" "$2" "${3-$full_variant}"
  # A simple command, so that $! is the API process itself (its RSS is what is measured).
  env "${api_vars[@]}" dotnet "$api_dll" --urls "http://127.0.0.1:$port" >"$log" 2>&1 &
  server_pid=$!
  server_url="http://127.0.0.1:$port"
  wait_ready "$server_url/health/ready" "$server_pid" "$log"
}

start_ceiling() {
  local port
  port="$(choose_port 18180 18279)"
  env "${base_env[@]}" dotnet "$ceiling_dll" --urls "http://127.0.0.1:$port" >"$run/ceiling.log" 2>&1 &
  ceiling_pid=$!
  ceiling="http://127.0.0.1:$port"
  wait_ready "$ceiling/ping" "$ceiling_pid" "$run/ceiling.log"
}

# --- seeding (binary COPY by bench/Seed, not the API) -----------------------------------------
# Seeded user k is bench_<k> with id id_offset + k; session k belongs to user k, and so does
# post k. Every seeded user has the same Argon2id PHC string, made once by a real signup. The
# seed takes its tables and columns from the EF Core model of this build.
seed() { # --users FIRST-LAST --sessions FIRST-LAST --posts FIRST-LAST [--reserve-users LAST]
  env "${base_env[@]}" dotnet "$seed_dll" --id-offset "$id_offset" --password-hash "$phc" "$@" || die "the seed failed"
}

# Signs up one user through the API at $api for its password hash, then seeds the first $users
# users, $sessions sessions and $posts posts with it; sets phc and id_offset.
seed_users() {
  log "seeding $users users, $sessions sessions, $posts posts"
  curl -fs -o /dev/null -X POST "$api/v1/users/signup" -H 'Content-Type: application/json' \
    -d "{\"username\":\"benchseed\",\"email\":\"benchseed@example.com\",\"password\":\"$password\",\"firstname\":\"Bench\",\"referer_secret\":\"$referer_secret\"}" \
    || die "the seed signup failed"
  phc="$(sql_value "SELECT password FROM paseto_auth.users WHERE normalized_username = 'benchseed'")"
  [[ "$phc" == '$argon2id$'* ]] || die "the seed user has no Argon2id hash"
  id_offset="$(sql_value "SELECT max(id) FROM paseto_auth.users")"
  # Ids up to the scale run's last user are reserved, so users the API creates never collide.
  seed --users "1-$users" --sessions "1-$sessions" --posts "1-$posts" --reserve-users "$scale_users"
  psql_bench -c "ANALYZE"
}

# --- measuring -------------------------------------------------------------------------------
# Logs users FIRST..LAST in at URL, four at a time, and prints one "access<TAB>refresh" line each.
login_tokens() { # URL FIRST LAST
  local k
  for k in $(seq "$2" "$3"); do
    printf '{"username":"bench_%07d","password":"%s"}\n' "$k" "$password"
  done | xargs -d '\n' -P 4 -I{} sh -c \
    'curl -fs -X POST "$0/v1/login" -H "Content-Type: application/json" -d "$1" | jq -r "[.access_token, .refresh_token] | @tsv"' \
    "$1" {}
}

# CPU time (clock ticks) of processes, one "pid ticks" line each: the serving process, or the
# PostgreSQL server and its backends. Per-request CPU is the number that load from other work on
# the machine moves least, so it is what the before/after comparisons use.
cpu_snapshot() { # PID...
  local p
  for p in "$@"; do
    awk -v p="$p" '{ sub(/^.*\) /, ""); print p, $12 + $13 }' "/proc/$p/stat" 2>/dev/null || true
  done
}
postgres_pids() {
  local postmaster
  postmaster="$(head -n 1 "$(cat "$PASETO_AUTH_PG_STATE/datadir")/postmaster.pid")"
  echo "$postmaster" $(pgrep -P "$postmaster")
}
cpu_delta() { # BEFORE AFTER: ticks spent in between, by processes alive at the end
  awk 'NR == FNR { before[$1] = $2; next } { total += $2 - ($1 in before ? before[$1] : 0) } END { print total + 0 }' "$1" "$2"
}
clock_ticks="$(getconf CLK_TCK)"

peak_reset() { if [[ -n "$1" ]]; then echo 5 >"/proc/$1/clear_refs" 2>/dev/null || true; fi; }
peak_mib() { awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# Samples the API's resident set every 200 ms into a file, until stopped.
start_sampler() {
  local pid="$1" file="$2"
  (while kill -0 "$pid" 2>/dev/null; do awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null; sleep 0.2; done) >"$file" &
  sampler_pid=$!
}
stop_sampler() { stop_process "$sampler_pid"; sampler_pid=""; }

# Runs one scenario: a warm-up, then the measured run; appends a JSON line to the results.
# measure_seconds=N and measure_warmup=N before the call change the two durations: a fresh
# process needs a longer warm-up (tiered compilation settles after tens of seconds of load).
#   measure NAME PHASE PID CONNECTIONS TIMEOUT SCRIPT URL [SCRIPT ARGS...]
# PHASE groups rows (ceiling, api, scale); PID is whose peak RSS is recorded. A script argument
# "@warmup:X" is replaced by X for the warm-up and dropped from the measured run's arguments
# (scenarios that spend what they send need a separate set for the warm-up).
measure() {
  local name="$1" phase="$2" pid="$3" conns="$4" timeout="$5" script="$6" url="$7"
  shift 7
  local warm_args=() args=() a
  for a in "$@"; do
    case "$a" in
      @warmup:*) warm_args+=("${a#@warmup:}") ;;
      @run:*) args+=("${a#@run:}") ;;
      *) warm_args+=("$a"); args+=("$a") ;;
    esac
  done
  local seconds="${measure_seconds:-$duration}" warm="${measure_warmup:-$warmup}"
  log "$name: $conns connections, ${warm} s warm-up, ${seconds} s measured"
  wrk -t"$threads" -c"$conns" -d"${warm}s" --timeout "${timeout}s" -s "bench/wrk/$script" "$url" -- "${warm_args[@]}" \
    >"$run/wrk-$name.warmup.txt" 2>&1 || true
  local load
  load="$(cut -d' ' -f1 /proc/loadavg)"
  peak_reset "$pid"
  cpu_snapshot "$pid" >"$run/cpu-serve.before"
  local -a db_pids
  read -ra db_pids <<<"$(postgres_pids)"
  cpu_snapshot "${db_pids[@]}" >"$run/cpu-db.before"
  wrk -t"$threads" -c"$conns" -d"${seconds}s" --timeout "${timeout}s" --latency -s "bench/wrk/$script" "$url" -- "${args[@]}" \
    >"$run/wrk-$name.txt" 2>&1 || { cat "$run/wrk-$name.txt" >&2; die "wrk failed in $name"; }
  cpu_snapshot "$pid" >"$run/cpu-serve.after"
  read -ra db_pids <<<"$(postgres_pids)"
  cpu_snapshot "${db_pids[@]}" >"$run/cpu-db.after"
  local raw
  raw="$(sed -n 's/^BENCH_RESULT //p' "$run/wrk-$name.txt")"
  [[ -n "$raw" ]] || { cat "$run/wrk-$name.txt" >&2; die "no result from $name"; }
  jq -c --arg name "$name" --arg phase "$phase" --argjson conns "$conns" --arg load "$load" \
    --argjson rss "$(peak_mib "$pid")" --argjson tick_us "$((1000000 / clock_ticks))" \
    --argjson serve "$(cpu_delta "$run/cpu-serve.before" "$run/cpu-serve.after")" \
    --argjson db "$(cpu_delta "$run/cpu-db.before" "$run/cpu-db.after")" '
    (.statuses | to_entries | map(select(.key != "200" and .key != "401" and .key != "429")) | map(.value) | add // 0) as $bad_storm
    | {name: $name, phase: $phase, connections: $conns, load: $load,
       rps: (.requests / (.duration_us / 1e6)), p50_ms: (.p50_us / 1000), p99_ms: (.p99_us / 1000),
       socket_errors: (.connect_errors + .read_errors + .write_errors + .timeouts),
       bad_status: (if (.statuses | length) > 0 and $name == "login-storm" then $bad_storm else .non_2xx_3xx end),
       statuses: .statuses, requests, rss_mib: $rss,
       serve_cpu_us: (if .requests > 0 then $serve * $tick_us / .requests else null end),
       db_cpu_us: (if .requests > 0 then $db * $tick_us / .requests else null end)}' <<<"$raw" >>"$results"
}

skip() { # NAME PHASE NOTE
  log "$1: skipped ($3)"
  jq -nc --arg name "$1" --arg phase "$2" --arg note "$3" '{name: $name, phase: $phase, skipped: $note}' >>"$results"
}

# The GET scenarios read "path<TAB>token" lines; every token gets every path in turn.
get_file() { # FILE PATH [TOKENS-FILE]
  if [[ -n "${3:-}" ]]; then
    awk -F '\t' -v path="$2" '{ print path "\t" $1 }' "$3" >"$1"
  else
    echo "$2" >"$1"
  fi
}

uri() { jq -rn --arg v "$1" '$v | @uri'; }

# Walks /v1/posts pages of 100 to about DEPTH posts deep and prints the cursor found there.
deep_cursor() { # DEPTH TOKEN
  local cursor="" depth=0 page
  while [[ $depth -lt $1 ]]; do
    page="$(curl -fs "$api/v1/posts?limit=100${cursor:+&cursor=$(uri "$cursor")}" -H "Authorization: Bearer $2")" || return 1
    local next
    next="$(jq -r '.next_cursor // empty' <<<"$page")"
    [[ -n "$next" ]] || break
    cursor="$next"
    depth=$((depth + 100))
  done
  printf '%s' "$cursor"
}

# The posts scenarios, or a skip with the reason; sets nothing when posts are missing.
measure_posts() { # PHASE SUFFIX DEPTH
  local phase="$1" suffix="$2" depth="$3" token status
  token="$(head -n 1 "$run/access.txt")"
  status="$(curl -s -o /dev/null -w '%{http_code}' "$api/v1/posts?limit=20" -H "Authorization: Bearer $token")"
  if [[ "$status" == 404 ]]; then
    skip "posts-first$suffix" "$phase" "GET /v1/posts answers 404 in this build"
    skip "posts-deep$suffix" "$phase" "GET /v1/posts answers 404 in this build"
    return
  fi
  get_file "$run/posts-first.lines" "/v1/posts?limit=20" "$run/access.txt"
  measure "posts-first$suffix" "$phase" "$api_pid" "$connections" 10 get.lua "$api" "$run/posts-first.lines"
  local cursor
  cursor="$(deep_cursor "$depth" "$token")" || { skip "posts-deep$suffix" "$phase" "could not walk the pages"; return; }
  [[ -n "$cursor" ]] || { skip "posts-deep$suffix" "$phase" "no next_cursor in the answers"; return; }
  get_file "$run/posts-deep.lines" "/v1/posts?limit=20&cursor=$(uri "$cursor")" "$run/access.txt"
  measure "posts-deep$suffix" "$phase" "$api_pid" "$connections" 10 get.lua "$api" "$run/posts-deep.lines"
}

# --- a selection of scenarios, optionally against a variant of the API -------------------------
# Runs BENCH_COMPARE_SCENARIOS in $rounds rounds on the API and, with BENCH_COMPARE, on its variant too
# (same key and database, so tokens work on both), swapping which goes first every other round;
# writes a table of every row to .local/bench/results.md.
compare_run() {
  local variant="${BENCH_COMPARE:-}" scenario name target pid url round order
  local -a compare_scenarios
  IFS=',' read -ra compare_scenarios <<<"${BENCH_COMPARE_SCENARIOS:-me}"
  for scenario in "${compare_scenarios[@]}"; do
    [[ "$scenario" =~ ^(me|refresh|login)$ ]] || die "BENCH_COMPARE_SCENARIOS: no scenario '$scenario' (me, refresh, login)"
  done
  [[ "$variant" =~ ^(|telemetry|no-auto-prepare)$ ]] || die "BENCH_COMPARE: no variant '$variant' (telemetry, no-auto-prepare)"
  [[ "$variant" == telemetry ]] && start_otlp_sink
  start_api local "$local_key" ""
  api_pid="$server_pid" api="$server_url"
  if [[ -n "$variant" ]]; then
    start_api local "$local_key" "$variant"
    variant_pid="$server_pid" variant_api="$server_url"
  fi
  seed_users
  login_tokens "$api" 1 "$connections" | cut -f1 >"$run/access.txt"
  [[ $(wc -l <"$run/access.txt") -eq $connections ]] || die "the logins for tokens failed"
  get_file "$run/me.lines" /v1/users/me "$run/access.txt"
  for round in $(seq 1 "$rounds"); do
    order="plain${variant:+ $variant}"
    [[ -n "$variant" && $((round % 2)) -eq 0 ]] && order="$variant plain"
    for scenario in "${compare_scenarios[@]}"; do
      for target in $order; do
        if [[ "$target" == plain ]]; then pid="$api_pid" url="$api"; else pid="$variant_pid" url="$variant_api"; fi
        [[ "$target" == plain ]] && name="$scenario#$round" || name="$scenario+$target#$round"
        [[ $round -eq 1 ]] && measure_warmup=$first_warmup || measure_warmup=$warmup
        case "$scenario" in
          me) measure_warmup=$measure_warmup measure "$name" api "$pid" "$connections" 10 get.lua "$url" "$run/me.lines" ;;
          refresh)
            # Fresh chains for each run (a token spent on one API is spent on both), and twice as
            # many as connections for the measured run: with exactly one a connection, chains died
            # (wrk sent the placeholder of an empty pool) on this machine under load.
            login_tokens "$url" 1 $((3 * connections)) | cut -f2 >"$run/refresh-both.txt"
            head -n "$connections" "$run/refresh-both.txt" >"$run/refresh-warmup.txt"
            tail -n +"$((connections + 1))" "$run/refresh-both.txt" >"$run/refresh.txt"
            measure_warmup=$measure_warmup measure "$name" api "$pid" "$connections" 10 refresh.lua "$url" \
              "@warmup:$run/refresh-warmup.txt" "@run:$run/refresh.txt" "$threads" ;;
          login) measure_warmup=$measure_warmup measure "$name" api "$pid" "$hash_connections" 10 login.lua "$url" "$users" "$password" ;;
        esac
      done
    done
  done
  [[ "$variant" == telemetry ]] && check_otlp_sink
  {
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`${BENCH_API_ENV:+BENCH_API_ENV='$BENCH_API_ENV' }BENCH_COMPARE_SCENARIOS=${BENCH_COMPARE_SCENARIOS:-me}${variant:+ BENCH_COMPARE=$variant} scripts/bench.sh$([[ $quick -eq 1 ]] && echo ' --quick')\`: $rounds rounds, ${warmup} s warm-up (${first_warmup} s in the first round) and ${duration} s measured; load average $load_at_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end."
    echo
    echo "| row | req/s | p50 ms | p99 ms | API CPU µs/req | PostgreSQL CPU µs/req | errors | load |"
    echo "|---|---|---|---|---|---|---|---|"
    jq -rs '.[] | "| \(.name) | \(.rps | floor) | \(.p50_ms * 100 | round / 100) | \(.p99_ms * 100 | round / 100) | \(.serve_cpu_us | round) | \(.db_cpu_us | round) | \(.socket_errors + .bad_status) | \(.load) |"' "$results"
  } >"$run/results.md"
  cp "$run/results.md" "$work/results.md"
  cat "$run/results.md"
  bad="$(jq -rs 'map(select(.socket_errors > 0 or .bad_status > 0 or .requests == 0) | .name) | join(", ")' "$results")"
  [[ -z "$bad" ]] || die "no answers, or answers that must never happen, in: $bad (see $run/wrk-*.txt)"
}

# --- the run ---------------------------------------------------------------------------------
load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"
started_at="$(date +%s)"

if [[ -n "${BENCH_COMPARE:-}${BENCH_COMPARE_SCENARIOS:-}" ]]; then
  compare_run
  exit 0
fi
[[ -n "$full_variant" ]] && start_otlp_sink

: >"$run/hash-rate.json"
# The ceiling and both APIs (v4.local, and v4.public with an Ed25519 key) run side by side; an
# idle server costs memory, not CPU.
if wants ping || wants headline || wants introspect; then
  start_ceiling
  start_api public "$public_key"
  public_pid="$server_pid" public_api="$server_url"
fi
start_api local "$local_key"
api_pid="$server_pid" api="$server_url"

seed_users

if [[ -n "$public_pid" ]]; then
  login_tokens "$public_api" 1 "$connections" >"$run/public-tokens.txt"
  [[ $(wc -l <"$run/public-tokens.txt") -eq $connections ]] || die "the logins for tokens failed"
  cut -f1 "$run/public-tokens.txt" >"$run/public-access.txt"
  get_file "$run/me-public.lines" /v1/users/me "$run/public-access.txt"
fi
if wants headline || wants introspect || wants sessions || wants posts || wants refresh || wants scale; then
  login_tokens "$api" 1 $((3 * connections)) >"$run/tokens.txt"
  [[ $(wc -l <"$run/tokens.txt") -eq $((3 * connections)) ]] || die "the logins for tokens failed"
  head -n "$connections" "$run/tokens.txt" | cut -f1 >"$run/access.txt"
  head -n "$connections" "$run/tokens.txt" | cut -f2 >"$run/refresh-warmup.txt"
  tail -n +"$((connections + 1))" "$run/tokens.txt" | cut -f2 >"$run/refresh.txt"
  get_file "$run/me.lines" /v1/users/me "$run/access.txt"
  get_file "$run/sessions.lines" /v1/sessions "$run/access.txt"
fi
awk -v offset="$id_offset" -v n="$users" 'BEGIN { for (k = 1; k <= n; k++) print "/db?id=" offset + k }' >"$run/db.lines"
get_file "$run/ping.lines" /ping

# The headline: the ceiling's GET /db and the API's GET /v1/users/me (both purposes) in
# alternating rounds, so that each pair sees about the same interference from the machine; the
# report takes the median. Each server's first round warms it up for longer.
if wants ping; then
  measure ceiling-ping ceiling "$ceiling_pid" "$connections" 10 get.lua "$ceiling" "$run/ping.lines"
fi
if wants headline || wants introspect; then
  for round in $(seq 1 "$rounds"); do
    [[ $round -eq 1 ]] && round_warmup=$first_warmup || round_warmup=$warmup
    measure_warmup=$round_warmup measure "ceiling-db#$round" ceiling "$ceiling_pid" "$connections" 10 get.lua "$ceiling" "$run/db.lines"
    if wants headline; then
      measure_warmup=$round_warmup measure "me-local#$round" api "$api_pid" "$connections" 10 get.lua "$api" "$run/me.lines"
      measure_warmup=$round_warmup measure "me-public#$round" api "$public_pid" "$connections" 10 get.lua "$public_api" "$run/me-public.lines"
    fi
    if wants introspect; then
      # The local API, warm from GET /v1/users/me when the headline ran before.
      measure_warmup=$( (wants headline || [[ $round -gt 1 ]]) && echo "$warmup" || echo "$first_warmup") \
        measure "introspect#$round" api "$api_pid" "$connections" 10 introspect.lua "$api" "$run/access.txt" "$introspect_basic"
    fi
  done
fi
stop_process "$ceiling_pid"
stop_process "$public_pid"
ceiling_pid="" public_pid=""
if wants sessions; then
  measure sessions api "$api_pid" "$connections" 10 get.lua "$api" "$run/sessions.lines"
fi
if wants posts; then
  measure_posts api "" $((posts * 9 / 10))
fi
if wants refresh; then
  measure refresh api "$api_pid" "$connections" 10 refresh.lua "$api" "@warmup:$run/refresh-warmup.txt" "@run:$run/refresh.txt" "$threads"
fi
if wants login || wants storm || wants signup; then
  # Just before the scenarios that hash, with the API idle, as issue 24 defines the bare rate.
  log "bare Argon2id rate ($hash_seconds s, one thread then one per core; the API idle)"
  env "${base_env[@]}" dotnet "$ceiling_dll" hash-rate --seconds "$hash_seconds" >"$run/hash-rate.json"
fi
if wants login; then
  measure login api "$api_pid" "$hash_connections" 10 login.lua "$api" "$users" "$password"
fi
if wants storm; then
  start_sampler "$api_pid" "$run/storm-rss.txt"
  # The first answers take seconds (500 logins queue for two hashing slots), so even --quick gives it 10 s.
  measure_seconds=$([[ $quick -eq 1 ]] && echo 10 || echo 40) measure login-storm api "$api_pid" "$storm_connections" 60 storm.lua "$api" "$users" "$password"
  stop_sampler
  # The storm's sampled peak goes into its row.
  sampled_mib="$(sort -n "$run/storm-rss.txt" | tail -n 1 | awk '{ printf "%.0f", $1 / 1024 }')"
  jq -c --argjson s "${sampled_mib:-null}" 'if .name == "login-storm" then .sampled_rss_mib = $s else . end' "$results" >"$results.tmp"
  mv "$results.tmp" "$results"
fi
if wants signup; then
  signup_prefix="s$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  measure signup api "$api_pid" "$hash_connections" 10 signup.lua "$api" \
    "@warmup:${signup_prefix}w" "@run:${signup_prefix}m" "$referer_secret" "$password"
fi

plans=""
if [[ $quick -eq 0 ]] && wants scale; then
  log "scale run: seeding up to $scale_users users, $scale_sessions sessions, $scale_posts posts (COPY)"
  seed_started="$(date +%s)"
  seed --users "$((users + 1))-$scale_users" --sessions "$((sessions + 1))-$scale_sessions" --posts "$((posts + 1))-$scale_posts"
  psql_bench -c "VACUUM ANALYZE" -c "CHECKPOINT"
  seed_seconds=$(($(date +%s) - seed_started))
  measure login@1M scale "$api_pid" "$hash_connections" 10 login.lua "$api" "$scale_users" "$password"
  measure me-local@1M scale "$api_pid" "$connections" 10 get.lua "$api" "$run/me.lines"
  measure sessions@1M scale "$api_pid" "$connections" 10 get.lua "$api" "$run/sessions.lines"
  measure_posts scale "@1M" 100000

  # The plans of the queries behind one request of each kind, as PostgreSQL ran them (auto_explain).
  log "capturing query plans"
  psql_bench -c "ALTER SYSTEM SET auto_explain.log_min_duration = 0" -c "ALTER SYSTEM SET auto_explain.log_analyze = on" \
    -c "ALTER SYSTEM SET auto_explain.log_buffers = on" -c "SELECT pg_reload_conf()" >/dev/null
  sleep 1
  plan_start=$(($(stat -c %s "$pg_log") + 1))
  token="$(head -n 1 "$run/access.txt")"
  marker() { sql_value "SELECT 'bench-plan: $1'" >/dev/null; }
  marker "POST /v1/login"
  curl -fs -o /dev/null -X POST "$api/v1/login" -H 'Content-Type: application/json' \
    -d "$(printf '{"username":"bench_%07d","password":"%s"}' $((scale_users - 7)) "$password")" || true
  marker "GET /v1/users/me"
  curl -fs -o /dev/null "$api/v1/users/me" -H "Authorization: Bearer $token" || true
  marker "GET /v1/sessions"
  curl -fs -o /dev/null "$api/v1/sessions" -H "Authorization: Bearer $token" || true
  if [[ -f "$run/posts-first.lines" ]]; then
    marker "GET /v1/posts (first page)"
    curl -fs -o /dev/null "$api$(head -n 1 "$run/posts-first.lines" | cut -f1)" -H "Authorization: Bearer $token" || true
  fi
  if [[ -f "$run/posts-deep.lines" ]]; then
    marker "GET /v1/posts (deep page)"
    curl -fs -o /dev/null "$api$(head -n 1 "$run/posts-deep.lines" | cut -f1)" -H "Authorization: Bearer $token" || true
  fi
  marker "end"
  sleep 1
  psql_bench -c "ALTER SYSTEM RESET ALL" -c "SELECT pg_reload_conf()" >/dev/null
  # Keep each plan's text (the continuation lines after "plan:"), headed by the request it served.
  plans="$(tail -c +"$plan_start" "$pg_log" | awk '
    function flush() {
      if (!inplan) return
      inplan = 0
      if (text ~ /bench-plan: end/) { done = 1; return }
      if (text ~ /bench-plan: /) { match(text, /bench-plan: [^'"'"']*/); print "\n#### " substr(text, RSTART + 12, RLENGTH - 12) "\n"; return }
      if (text ~ /pg_reload_conf/) return
      print "```"; printf "%s", text; print "```"
    }
    inplan && /^\t/ { sub(/^\t/, ""); text = text $0 "\n"; next }
    { flush(); if (done) exit }
    /LOG:  duration: .* plan:/ { inplan = 1; text = "" }
    END { flush() }')"
fi
[[ -n "$full_variant" ]] && check_otlp_sink
stop_process "$api_pid"
api_pid=""
finished_at="$(date +%s)"
load_at_end="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- the report ------------------------------------------------------------------------------
cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
memory="$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
dotnet_version="$(dotnet --list-runtimes | awk '/^Microsoft.AspNetCore.App/ { v = $2 } END { print v }')"
pg_version="$(sql_value "SHOW server_version")"
wrk_version="$(dpkg-query -W -f '${Version}' wrk 2>/dev/null || wrk -v 2>&1 | head -n 1)"
hash_json="$(cat "$run/hash-rate.json")"
[[ -n "$hash_json" ]] || hash_json='{}'
# libsodium maps and populates fresh memory for every hash, so the kernel's transparent huge page
# mode moves the hash rate (docs/performance.md, "Login and the kernel").
thp="$(grep -o '\[[a-z+]*\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null | tr -d '[]' || true)"
scale_note=""
[[ $quick -eq 0 ]] && wants scale && scale_note="the scale seed (COPY, then VACUUM ANALYZE) took ${seed_seconds} s; "

report="$run/results.md"
{
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`scripts/bench.sh$([[ $quick -eq 1 ]] && echo ' --quick')\` in $(((finished_at - started_at) / 60)) min; ${scale_note}${warmup} s warm-up ($first_warmup s for \`GET /db\` and \`GET /v1/users/me\` on a fresh process) and ${duration} s measured per scenario (the storm: longer)."
  echo
  echo "- Machine: $cpu, $(nproc) cores, $memory; Linux $(uname -r); load average $load_at_start at the start, $load_at_end at the end (other work shared the machine)."
  echo "- Versions: ASP.NET Core $dotnet_version (Server GC), PostgreSQL $pg_version (durable defaults, \`max_connections=400\`), wrk $wrk_version ($threads threads), all on the same cores over loopback."
  [[ "$hash_json" == '{}' ]] || echo "- Argon2id: $(jq -r '"m=\(.memory_kib) KiB, t=\(.iterations), p=\(.parallelism): \(.ms_per_hash) ms a hash on one thread, so \(.cores) cores ÷ time per hash = \(.cores_over_time_per_hash) hashes/s; measured with \(.cores) threads at once: \(.parallel_hashes_per_second) hashes/s"' <<<"$hash_json"); transparent huge pages: ${thp:-unknown}."
  echo
  jq -rs --argjson hash "$hash_json" -f bench/report.jq "$results"
  if [[ -n "$plans" ]]; then
    echo
    echo "### Query plans at 1,000,000 users (auto_explain, one request each)"
    printf '%s\n' "$plans"
  fi
} >"$report"

if [[ $quick -eq 0 && "$scenarios" == ",ping,headline,introspect,sessions,posts,refresh,login,storm,signup,scale," ]]; then
  doc="docs/performance.md"
  begin="<!-- bench:begin (written by scripts/bench.sh) -->"
  end="<!-- bench:end -->"
  if ! grep -qF "$begin" "$doc" 2>/dev/null; then
    printf '# Performance\n\n%s\n%s\n' "$begin" "$end" >>"$doc"
  fi
  awk -v begin="$begin" -v end="$end" -v report="$report" '
    $0 == begin { print; while ((getline line < report) > 0) print line; skipping = 1; next }
    $0 == end { skipping = 0 }
    !skipping { print }' "$doc" >"$doc.tmp"
  mv "$doc.tmp" "$doc"
  log "wrote $doc"
fi
cp "$report" "$work/results.md"
cat "$report"

bad="$(jq -rs 'map(select(.skipped == null and (.socket_errors > 0 or .bad_status > 0 or .requests == 0)) | .name) | join(", ")' "$results")"
if [[ -n "$bad" ]]; then
  die "no answers, or answers that must never happen, in: $bad (see $run/wrk-*.txt)"
fi
log "no scenario got an answer it must not get"
