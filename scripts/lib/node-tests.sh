# shellcheck shell=bash
# Sourced by the scripts that run node's test runner against the API in Chromium
# (test-client.sh, test-account.sh); the caller defines log().

# parse_test_options ARG...: reads --no-build (see build_requested) and --tap FILE (run_node_tests).
parse_test_options() {
  build=1
  tap=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --no-build) build=0 ;;
      # Absolute: the tests run from their package's folder.
      --tap) tap="$(realpath -m -- "${2:?--tap needs a file}")"; shift ;;
      *) echo "usage: $0 [--no-build] [--tap FILE]" >&2; exit 2 ;;
    esac
    shift
  done
}

# build_requested: true unless --no-build was given.
build_requested() { [[ $build -eq 1 ]]; }

# ensure_chromium REPO: exports CHROMIUM_PATH (default /usr/bin/chromium), installing Debian's
# chromium package when the browser is missing.
ensure_chromium() {
  export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [[ ! -x "$CHROMIUM_PATH" ]]; then
    # shellcheck source=scripts/lib/apt.sh
    source "$1/scripts/lib/apt.sh"
    apt_install chromium || return 1
    [[ -x "$CHROMIUM_PATH" ]] || { log "$CHROMIUM_PATH is missing; set CHROMIUM_PATH to the browser"; return 1; }
  fi
}

# run_node_tests FILE...: node's test runner over the compiled test files, reporting to the
# terminal and, with --tap, as TAP to that file too.
run_node_tests() {
  local reporters=(--test-reporter=spec --test-reporter-destination=stdout)
  if [[ -n "$tap" ]]; then
    mkdir -p "$(dirname "$tap")"
    reporters+=(--test-reporter=tap "--test-reporter-destination=$tap")
  fi
  # In a process group of its own (a script has no job control, so setsid needs no fork and $! is
  # the group), killed afterwards or when the script is interrupted, so what a test file started
  # (an API, a browser) does not outlive the run. (--test-force-exit would also end a file whose
  # timed-out hook left them running, but it loses the TAP file's closing counts.)
  setsid node --test "${reporters[@]}" "$@" &
  local group=$! status=0
  trap 'kill -- "-$group" 2>/dev/null' INT TERM
  wait "$group" || status=$?
  trap - INT TERM
  kill -- "-$group" 2>/dev/null || true
  return "$status"
}
