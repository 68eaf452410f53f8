#!/usr/bin/env bash
# Makes sure a supported Node.js (22 or 24 LTS) is on PATH. Machines that come with an older Node
# (CI's come with 20, out of support) get the version pinned in .node-version from the npm
# registry's node-linux-<arch> package (the official binaries, integrity-checked by npm), unpacked
# under ~/.cache/hotline-node. Prints shell lines to eval:
#   eval "$(bash scripts/node-runtime.sh)"    # then node, npm and node-gyp builds use it
# Env: NODE_RUNTIME_DIR (default ~/.cache/hotline-node).
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "[node-runtime] $*" >&2; }

wanted="$(tr -d '[:space:]' < .node-version)"
current="$(node --version 2>/dev/null | sed 's/^v//' || true)"
major="${current%%.*}"
if [ -n "$current" ] && { [ "$major" = 22 ] || [ "$major" = 24 ]; }; then
  log "using the machine's Node.js $current"
  exit 0
fi

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) log "no node-linux package for $(uname -m)"; exit 1 ;;
esac
root="${NODE_RUNTIME_DIR:-$HOME/.cache/hotline-node}"
home="$root/node-v$wanted-linux-$arch"
if [ ! -x "$home/bin/node" ]; then
  log "Node.js ${current:-none} is not supported here; installing $wanted from the npm registry (node-linux-$arch)"
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "node-linux-$arch@$wanted" >/dev/null)
  mkdir -p "$home"
  tar -xzf "$work"/node-linux-*.tgz -C "$home" --strip-components=1
  rm -rf "$work"
fi
"$home/bin/node" --version >&2
# npm itself is the machine's; native addons (nodejieba) build against the new Node's headers.
echo "export PATH=\"$home/bin:\$PATH\""
echo "export npm_config_nodedir=\"$home\""
