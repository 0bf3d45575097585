#!/usr/bin/env bash
# Builds, checks formatting and the scripts, and runs the tests.
# Ends with the line "Tests: N passed, M failed"; exits non-zero on any failure.
usage() {
  cat <<'USAGE'
usage: scripts/test.sh [--fast] [--help]
  (no option)  everything: build, format check, shellcheck, the unit tests, the integration and
               system tests on a real PostgreSQL, the library package, the TypeScript client,
               the OpenAPI lint, the browser tests (/docs, the account console) and the
               benchmark smoke run
  --fast       build, whitespace check, shellcheck and the unit tests (tests/UnitTests,
               tests/Paseto.Tests, and the Argon2id engine's again without AVX2): no database,
               no browser, a minute or two on a warm build
  --help       this text
environment:
  PASETO_AUTH_TEST_DB   a connection string to a server where the tests may create databases
                        (default: the local cluster of scripts/postgres.sh, started here)
USAGE
}
set -uo pipefail

fast=0
for argument in "$@"; do
  case "$argument" in
    --fast) fast=1 ;;
    --help | -h) usage; exit 0 ;;
    *) echo "test.sh: unknown option $argument" >&2; usage >&2; exit 2 ;;
  esac
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo" || exit 1
results="$repo/.local/test-results"
rm -rf "$results"
mkdir -p "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

passed=0
failed=0
finish() {
  echo "Tests: $passed passed, $failed failed"
  [[ $failed -eq 0 ]] && exit 0 || exit 1
}
fail_step() {
  echo "test.sh: $1" >&2
  failed=$((failed + 1))
  finish
}

step() { printf '\n== %s\n' "$*"; }

step "tools"
dotnet tool restore >/dev/null || fail_step "dotnet tool restore failed"

if [[ $fast -eq 0 ]]; then
  # Before the build, which copies the console's files beside the API's binaries.
  step "account console: build (clients/account)"
  log() { printf 'test.sh: %s\n' "$*" >&2; }
  # shellcheck source=scripts/lib/npm.sh
  source "$repo/scripts/lib/npm.sh"
  # shellcheck source=scripts/lib/console.sh
  source "$repo/scripts/lib/console.sh"
  build_console "$repo" || fail_step "the account console did not build"
fi

step "build (Release, warnings are errors)"
dotnet build Paseto.Auth.sln -c Release -nologo -clp:ErrorsOnly || fail_step "the build failed"

if [[ $fast -eq 1 ]]; then
  # The build has just enforced the code style and the analyzers (EnforceCodeStyleInBuild, warnings
  # are errors), which is what the full check's style and analyzer passes would recompile the
  # solution to find again; whitespace is all the build does not see, and needs no compilation.
  step "format check (whitespace; the build checked style and analyzers)"
  dotnet format whitespace Paseto.Auth.sln --verify-no-changes || fail_step "dotnet format found changes to make (run: dotnet format Paseto.Auth.sln)"
else
  step "format check"
  dotnet format Paseto.Auth.sln --verify-no-changes --no-restore || fail_step "dotnet format found changes to make (run: dotnet format Paseto.Auth.sln)"
fi

step "shellcheck (warnings and errors) over the scripts"
log() { printf 'test.sh: %s\n' "$*" >&2; }
# shellcheck source=scripts/lib/apt.sh
source "$repo/scripts/lib/apt.sh"
command -v shellcheck >/dev/null 2>&1 || apt_install shellcheck || fail_step "shellcheck is missing and could not be installed"
mapfile -t shell_scripts < <(find scripts -name '*.sh' | sort)
shellcheck -S warning -x "${shell_scripts[@]}" .ci/run || fail_step "shellcheck found problems in the scripts"
echo "${#shell_scripts[@]} scripts and .ci/run clean"

# Adds the counters of a TRX file to the totals; a run that wrote none counts as one failure.
count_trx() {
  local trx="$1" exit_code="$2" counters p f
  if [[ ! -f "$trx" ]]; then
    failed=$((failed + 1))
    return
  fi
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  local errors
  errors="$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${errors:-0}))
  if [[ $exit_code -ne 0 && ${f:-0} -eq 0 && ${errors:-0} -eq 0 ]]; then
    failed=$((failed + 1))
  fi
}

# Runs one test project and adds its counters to the totals.
run_tests() {
  local project="$1" name
  name="$(basename "$project")"
  step "$name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results"
  count_trx "$results/$name.trx" $?
}

run_tests tests/Paseto.Tests
run_tests tests/UnitTests

# The Argon2id engine of our own takes its scalar path only where AVX2 is missing: run its tests
# once more in a process without AVX2 (the class checks that Avx2.IsSupported is false there).
step "UnitTests: the Argon2id engine without AVX2 (DOTNET_EnableAVX2=0)"
DOTNET_EnableAVX2=0 dotnet test tests/UnitTests -c Release --no-build --nologo \
  --filter "FullyQualifiedName~Paseto.Auth.UnitTests.Passwords.SimdArgon2idEngineTests" \
  --logger "trx;LogFileName=UnitTests-scalar.trx" --logger "console;verbosity=minimal" \
  --results-directory "$results"
count_trx "$results/UnitTests-scalar.trx" $?
[[ $fast -eq 1 ]] && finish

step "database"
started_here=0
if [[ -z "${PASETO_AUTH_TEST_DB:-}" ]]; then
  if ! scripts/postgres.sh status >/dev/null 2>&1; then
    PG_FAST=1 scripts/postgres.sh start || fail_step "could not start the local PostgreSQL"
    started_here=1
  fi
  PASETO_AUTH_TEST_DB="$(scripts/postgres.sh url | sed 's/Database=paseto_auth/Database=postgres/')"
  export PASETO_AUTH_TEST_DB
fi
stop_database() { if [[ $started_here -eq 1 ]]; then scripts/postgres.sh stop || true; fi; }
trap stop_database EXIT
echo "PostgreSQL ready"

step "nginx (the cluster tests put three instances behind it)"
scripts/cluster.sh install-nginx || echo "test.sh: could not install nginx; the cluster tests will fail" >&2

step "pgbouncer (the PgBouncer tests start one between the instances and PostgreSQL)"
apt_install pgbouncer || echo "test.sh: could not install pgbouncer; the PgBouncer tests will fail" >&2

for project in tests/IntegrationTests tests/SystemTests; do
  run_tests "$project"
done

# The library's package, one test: `dotnet pack src/Paseto` succeeds and the .nupkg holds the DLL,
# its XML docs, the README and the LICENSE, next to a symbols package.
step "Paseto.Auth.Paseto package: dotnet pack src/Paseto (one test)"
package_holds() {
  local nupkg="$1" listing file
  listing="$(unzip -Z1 "$nupkg")" || return 1
  for file in lib/net10.0/Paseto.Auth.Paseto.dll lib/net10.0/Paseto.Auth.Paseto.xml README.md LICENSE; do
    grep -qxF "$file" <<<"$listing" || { echo "test.sh: $(basename "$nupkg") lacks $file" >&2; return 1; }
  done
}
package_dir="$results/package"
if dotnet pack src/Paseto -c Release --no-build --nologo -o "$package_dir" >"$results/pack.log" 2>&1 \
  && nupkg="$(find "$package_dir" -name 'Paseto.Auth.Paseto.*.nupkg')" && [[ -n "$nupkg" ]] \
  && package_holds "$nupkg" && [[ -f "${nupkg%.nupkg}.snupkg" ]]; then
  passed=$((passed + 1))
  echo "passed: $(basename "$nupkg")"
else
  failed=$((failed + 1))
  tail -n 20 "$results/pack.log"
fi

# ---- TypeScript client (clients/typescript) and /docs in a browser --------------------------
# Adds the counters of a TAP file from node's test runner; a run that wrote none counts as one failure.
count_tap() {
  local tap="$1" exit_code="$2" p f c
  if [[ ! -f "$tap" ]]; then
    failed=$((failed + 1))
    return
  fi
  p="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -n 1)"
  f="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" | tail -n 1)"
  c="$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$tap" | tail -n 1)"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${c:-0}))
  if [[ $exit_code -ne 0 && ${f:-0} -eq 0 && ${c:-0} -eq 0 ]]; then
    failed=$((failed + 1))
  fi
}

step "TypeScript client: generated from the current API (one test)"
if scripts/generate-client.sh --check --no-build; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi

step "OpenAPI document: Redocly CLI's recommended rules, no error or warning (one test)"
if scripts/lint-openapi.sh; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi

step "TypeScript client: end to end through the generated client, and /docs in Chromium"
scripts/test-client.sh --no-build --tap "$results/typescript.tap"
count_tap "$results/typescript.tap" $?

step "account console in Chromium (sign-in, sessions, history, mail links, axe, keyboard)"
scripts/test-account.sh --no-build --tap "$results/account.tap"
count_tap "$results/account.tap" $?

# The load benchmark's smoke run, one test: every scenario runs for a few seconds and none may get
# an answer it must never get (socket errors, timeouts, 5xx). No timing is asserted.
step "benchmark smoke run (scripts/bench.sh --quick)"
if scripts/bench.sh --quick --no-build >"$results/bench.log" 2>&1; then
  passed=$((passed + 1))
  echo "passed; the table is in .local/bench/results.md"
else
  failed=$((failed + 1))
  tail -n 40 "$results/bench.log"
fi

finish
