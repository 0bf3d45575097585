# shellcheck shell=bash
# Sourced by the scripts that start servers on loopback; the caller defines log().
# They take ports below the kernel's ephemeral range (32768-60999 by default): a port inside it can
# be taken by an outgoing connection's local end between the check and the bind. The caller still
# retries on "address already in use", since any port can be taken between check and bind.

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# choose_port FIRST LAST: prints the first free port from FIRST to LAST; exits when there is none.
choose_port() {
  local port
  for port in $(seq "$1" "$2"); do
    if port_free "$port"; then echo "$port"; return; fi
  done
  log "no free port between $1 and $2"
  exit 1
}
