#!/usr/bin/env bash
# Installs code-server (a real VS Code 1.100.3 served to a browser) into a cache folder for the
# VS Code end-to-end test (test/editors/vscode.e2e.ts). Idempotent: does nothing when a working
# install is already there.
#
# Why these steps: the usual VS Code test runners download VS Code from Microsoft, which CI cannot
# reach; code-server is on npm. 4.100.3 is the newest release that installs on Node 20. Its install
# scripts download ripgrep from GitHub, so we install with --ignore-scripts, point @vscode/ripgrep at
# Debian's rg, and do by hand what code-server's postinstall script would do.
#
# Needs (apt): build-essential pkg-config python3 libkrb5-dev libx11-dev libxkbfile-dev
# libsecret-1-dev ripgrep; Node's headers in /usr/include/node (Debian's nodejs package).
#
# Environment:
#   NIXGUARD_E2E_CACHE  install root (default: $XDG_CACHE_HOME/nixguard-e2e or ~/.cache/nixguard-e2e)
# Prints the path of the code-server launcher on its last line.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
cache_root="${NIXGUARD_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nixguard-e2e}"
install_dir="$cache_root/code-server-$CODE_SERVER_VERSION"
package_dir="$install_dir/node_modules/code-server"
launcher="$install_dir/node_modules/.bin/code-server"
complete_marker="$install_dir/.install-complete"

# `code-server --version` writes a default config file when none exists: keep it in the cache
# instead of the user's ~/.config.
launcher_version() {
  "$launcher" --config "$install_dir/config.yaml" --version 2>/dev/null
}

works() {
  [ -f "$complete_marker" ] && [ -x "$launcher" ] \
    && launcher_version | grep -q "^$CODE_SERVER_VERSION "
}

if works; then
  echo "code-server $CODE_SERVER_VERSION already installed in $install_dir" >&2
  echo "$launcher"
  exit 0
fi

for program in node npm rg make g++ python3 pkg-config; do
  command -v "$program" >/dev/null || { echo "install-code-server: missing '$program' (see .ci/run)" >&2; exit 2; }
done
[ -f /usr/include/node/node.h ] || { echo "install-code-server: missing Node headers in /usr/include/node" >&2; exit 2; }

started=$SECONDS
# Node's headers come from Debian, so node-gyp must not download them; npm 11 running as root no
# longer implies unsafe-perm, which code-server's own scripts check; node-pty runs `npx node-gyp`.
export npm_config_nodedir=/usr
export npm_config_unsafe_perm=true
export npm_config_yes=true
export npm_config_fund=false
export npm_config_audit=false
export npm_config_update_notifier=false

rm -rf "$install_dir"
mkdir -p "$install_dir"
echo '{ "private": true }' >"$install_dir/package.json"

step() { echo "install-code-server: [$((SECONDS - started))s] $*" >&2; }

step "npm install code-server@$CODE_SERVER_VERSION (no scripts)"
(cd "$install_dir" && npm install --no-save --ignore-scripts --loglevel=error "code-server@$CODE_SERVER_VERSION" >&2)

step "installing VS Code's own dependencies (no scripts)"
(cd "$package_dir/lib/vscode" && npm install --omit=dev --ignore-scripts --loglevel=error >&2)

step "linking @vscode/ripgrep to $(command -v rg)"
ripgrep_bin="$package_dir/lib/vscode/node_modules/@vscode/ripgrep/bin"
mkdir -p "$ripgrep_bin"
ln -sfn "$(command -v rg)" "$ripgrep_bin/rg"

step "building VS Code's native modules"
(cd "$package_dir/lib/vscode" && npm rebuild --loglevel=error >&2)
(cd "$install_dir" && npm rebuild argon2 --loglevel=error >&2)

step "doing what code-server's postinstall script does"
(
  cd "$package_dir/lib/vscode"
  ln -sfn node_modules node_modules.asar
  ln -sfn code-linux.sh bin/remote-cli/code-server
  ln -sfn browser-linux.sh bin/helpers/browser.sh
  cd extensions
  npm install --omit=dev --loglevel=error >&2
)

launcher_version >&2
echo "$CODE_SERVER_VERSION" >"$complete_marker"
step "done: code-server $CODE_SERVER_VERSION in $install_dir"
echo "$launcher"
