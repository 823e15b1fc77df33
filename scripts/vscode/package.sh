#!/usr/bin/env bash
# npm run package: builds the TypeScript and the samples, then packs the extension into
# ringside-<version>.vsix with @vscode/vsce (run under the Node 24 of the setup: vsce needs
# Node >= 22). What goes in is decided by .vscodeignore. Needs no network once set up.
#
# usage: scripts/vscode/package.sh [--no-build] [-o FILE.vsix]
#   --no-build  package out/ and samples/build as they are (the tests use it: npm test has
#               just built them, and rebuilding under running tests would rewrite their files)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

build=true
output=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=false ;;
    -o) [ $# -ge 2 ] || fail "-o needs a file name"; output=$2; shift ;;
    *) fail "unknown option '$1' (usage: package.sh [--no-build] [-o FILE.vsix])" ;;
  esac
  shift
done

cd "$REPO_ROOT"
version=$(node -p 'JSON.parse(require("fs").readFileSync("package.json", "utf8")).version')
[ -n "$output" ] || output="$REPO_ROOT/ringside-$version.vsix"
case "$output" in /*) ;; *) output="$PWD/$output" ;; esac

# (npm start has just run the full setup.)
[ -n "${RINGSIDE_SETUP_CHECKED:-}" ] || "$REPO_ROOT/scripts/vscode/setup.sh" --tools

if $build; then
  step "Building the TypeScript (tsc) and the kernel and samples (make)"
  npx tsc -p tsconfig.json || fail "the TypeScript build failed"
  make -s -C samples || fail "building the kernel and samples failed (is gcc-multilib installed?)"
fi
[ -f out/extension/extension.js ] || fail "out/extension/extension.js is missing: run npm run build first"
[ -f samples/build/kernel/kernel.elf ] || fail "samples/build/kernel/kernel.elf is missing: run make -C samples first"

step "Packing $(basename "$output") with vsce"
mkdir -p "$(dirname "$output")"
# </dev/null: vsce asks questions on a terminal (e.g. about a missing field); here it must fail instead.
"$NODE24" "$VSCE_JS" package --no-rewrite-relative-links --out "$output" </dev/null || fail "vsce could not package the extension (see above)"
echo "$output"
