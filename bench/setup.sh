#!/usr/bin/env bash
# Installs what bench/compare.sh needs beyond the build (deploy/bootstrap.sh): the Debian
# packages of the FastAPI peer, numpy, perf, Node.js and what the uWS peer's build needs
# (bench/build_uws_peer.sh), and the node peer's npm packages in a copy of
# shared/peers/node_ws_peer (shared/ is read-only). Idempotent; run as root or via sudo.
#   bench/setup.sh [PEERS_DIR] [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers=${1:-${RTD_PEERS_DIR:-$root/../shared/peers}}
build=${2:-${RTD_BUILD_DIR:-$root/build}}

packages=(
  python3 python3-fastapi python3-uvicorn python3-uvloop python3-websockets # FastAPI peer
  python3-numpy                                                           # mc_numpy.py
  linux-perf                                                              # profile
  util-linux                                                              # taskset
  git g++ rapidjson-dev zlib1g-dev                                        # uWS peer build
)
source "$root/deploy/apt_install.sh"
install_missing bench/setup "${packages[@]}" nodejs npm

# The node peer runs from a copy, with its locked dependencies installed next to it.
[[ -f $peers/node_ws_peer/server.js ]] || { echo "bench/setup: no peers in $peers" >&2; exit 1; }
dest=$build/peers/node_ws_peer
mkdir -p "$dest"
cp "$peers/node_ws_peer/server.js" "$peers/node_ws_peer/package.json" \
  "$peers/node_ws_peer/package-lock.json" "$dest/"
if [[ ! -d $dest/node_modules/ws ]] || ! cmp -s "$peers/node_ws_peer/package-lock.json" \
  "$dest/node_modules/.package-lock.json.copy" 2>/dev/null; then
  (cd "$dest" && npm ci --no-audit --no-fund --loglevel=error >&2)
  cp "$dest/package-lock.json" "$dest/node_modules/.package-lock.json.copy"
fi
