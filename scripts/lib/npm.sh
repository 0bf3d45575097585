# shellcheck shell=bash
# Sourced by the scripts that need the npm packages of clients/typescript or clients/account.

# npm_install DIR: installs DIR's packages with npm ci (from its lock file), skipped while the
# installed packages match package.json and package-lock.json: npm ci starts from nothing each time.
npm_install() {
  local dir="$1" stamp lock_hash
  stamp="$dir/node_modules/.installed-lock.sha256"
  lock_hash="$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)"
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_hash" ]]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$lock_hash" >"$stamp"
  fi
}
