# shellcheck shell=bash
# Sourced by the scripts that install the Debian packages they need; the caller defines log().

# apt_install PACKAGE...: installs those of Debian's PACKAGEs that are not installed yet, as root or
# through sudo, asking nothing. The package lists are refreshed only when the install cannot go
# ahead without them. When it cannot install, it says which packages and why, and returns 1.
apt_install() {
  local missing=() package
  for package in "$@"; do
    [[ "$(dpkg-query -W -f '${db:Status-Abbrev}' "$package" 2>/dev/null)" == "ii "* ]] || missing+=("$package")
  done
  [[ ${#missing[@]} -gt 0 ]] || return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    log "missing ${missing[*]}, and there is no apt-get here: install them with this system's package manager"
    return 1
  fi
  local as_root=()
  if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
      log "missing Debian's ${missing[*]}: install them as root (apt-get install ${missing[*]})"
      return 1
    fi
    # Someone at a terminal can answer sudo's password prompt; nothing else may wait for one.
    as_root=(sudo)
    [[ -t 0 ]] || as_root+=(-n)
  fi
  log "installing Debian's ${missing[*]}"
  local apt=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -qq -o DPkg::Lock::Timeout=300) output
  output="$(mktemp)"
  # Lists that are missing or stale (a package not found, a version gone) are why an install fails
  # on a fresh machine: refresh them then, and try once more.
  if ! "${apt[@]}" install "${missing[@]}" >"$output" 2>&1 \
    && ! { "${apt[@]}" update >"$output" 2>&1 && "${apt[@]}" install "${missing[@]}" >"$output" 2>&1; }; then
    tail -n 5 "$output" >&2
    rm -f "$output"
    log "could not install Debian's ${missing[*]} (apt-get install ${missing[*]}, as root)"
    return 1
  fi
  rm -f "$output"
}
