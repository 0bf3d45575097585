# shellcheck shell=bash
# Sourced by the scripts that need the account console (clients/account) built; the caller
# defines log() and sources npm.sh.

# build_console REPO: builds clients/account into clients/account/dist (which the API's build
# copies beside its binaries), skipped while dist was built from the same sources: the console's
# own, and the generated client it compiles in.
build_console() {
  local repo="$1" dir stamp sources_hash
  dir="$repo/clients/account"
  stamp="$dir/node_modules/.built-sources.sha256"
  npm_install "$dir" || return 1
  sources_hash="$(cd "$repo" && find clients/account/src clients/account/index.html clients/account/vite.config.ts \
    clients/account/tsconfig.json clients/account/package-lock.json clients/typescript/src -type f -print0 \
    | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
  if [[ -f "$dir/dist/index.html" && -f "$stamp" && "$(cat "$stamp")" == "$sources_hash" ]]; then
    return 0
  fi
  log "building the account console (clients/account)"
  (cd "$dir" && node_modules/.bin/tsc -p . && node_modules/.bin/vite build --logLevel warn) || return 1
  echo "$sources_hash" >"$stamp"
}
