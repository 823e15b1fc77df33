#!/usr/bin/env bash
# npm start: a real VS Code in the browser with Ringside installed from a fresh .vsix and the
# samples folder open. Sets up once (setup.sh), builds and packages (package.sh), installs the
# .vsix into code-server, starts it on 127.0.0.1 and prints the URL. Ctrl-C stops it.
#
# usage: npm start [-- --port N]      (default port 8080; RINGSIDE_PORT works too)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

port=${RINGSIDE_PORT:-8080}
while [ $# -gt 0 ]; do
  case "$1" in
    --port) [ $# -ge 2 ] || fail "--port needs a number"; port=$2; shift ;;
    *) fail "unknown option '$1' (usage: npm start [-- --port N])" ;;
  esac
  shift
done
[[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || fail "the port must be a number from 1 to 65535, got '$port'"

# code-server's own state for `npm start`: kept between runs (settings, breakpoints, open editors).
STATE="$E2E_CACHE/start"
workspace="$REPO_ROOT/samples"
url="http://127.0.0.1:$port/?folder=$workspace"

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  fail "something is already listening on 127.0.0.1:$port: stop it, or choose another port with npm start -- --port N"
fi

"$REPO_ROOT/scripts/vscode/setup.sh"

vsix="$STATE/ringside.vsix"
mkdir -p "$STATE"
RINGSIDE_SETUP_CHECKED=1 "$REPO_ROOT/scripts/vscode/package.sh" -o "$vsix" >/dev/null

export PATH="$NODE24_DIR/bin:$PATH" XDG_CONFIG_HOME="$STATE/xdg" XDG_DATA_HOME="$STATE/xdg" XDG_CACHE_HOME="$STATE/xdg"
mkdir -p "$STATE/user-data/User" "$STATE/extensions"
# User settings once: a quiet workbench (no welcome page, no telemetry, no update checks).
[ -f "$STATE/user-data/User/settings.json" ] || cp "$REPO_ROOT/scripts/vscode/settings.json" "$STATE/user-data/User/settings.json"
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$port" > "$STATE/config.yaml"
cs_args=(--config "$STATE/config.yaml" --user-data-dir "$STATE/user-data" --extensions-dir "$STATE/extensions")

step "Installing the .vsix into code-server"
"$CODE_SERVER" "${cs_args[@]}" --install-extension "$vsix" --force >"$STATE/install.log" 2>&1 \
  || { cat "$STATE/install.log" >&2; fail "code-server could not install $vsix"; }

step "Starting code-server $CODE_SERVER_VERSION on 127.0.0.1:$port"
# Its own process group (setsid), so that stopping it also stops the extension hosts it forks.
setsid "$CODE_SERVER" "${cs_args[@]}" --disable-telemetry --disable-update-check --disable-workspace-trust \
  --disable-getting-started-override --reconnection-grace-time 10 "$workspace" >"$STATE/code-server.log" 2>&1 </dev/null &
pgid=$!
stop() {
  trap - INT TERM EXIT
  if kill -0 "$pgid" 2>/dev/null; then
    echo >&2
    step "Stopping code-server"
    kill -TERM -- "-$pgid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pgid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pgid" 2>/dev/null || true
  fi
}
trap 'stop; exit 130' INT TERM
trap stop EXIT

# Ready when /healthz answers (usually under 2 s); give up after 60 s or if it exits.
for _ in $(seq 300); do
  kill -0 "$pgid" 2>/dev/null || { cat "$STATE/code-server.log" >&2; fail "code-server exited during start-up (log above)"; }
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.2
done
(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { cat "$STATE/code-server.log" >&2; fail "code-server did not start listening within 60 s"; }

printf '\n  Ringside in VS Code:  \033[1m%s\033[0m\n\n' "$url"
echo "  Open hello.c in user/, click left of a line number in main to set a breakpoint, press F5." >&2
echo "  Log: $STATE/code-server.log. Press Ctrl-C to stop." >&2
wait "$pgid" || true
