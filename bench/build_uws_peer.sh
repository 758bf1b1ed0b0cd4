#!/usr/bin/env bash
# Builds the uWebSockets reference peer (shared/peers/uws_peer) outside the project, from bare
# git clones of uNetworking/uWebSockets and uNetworking/uSockets (their code never enters rtd).
#
#   bench/build_uws_peer.sh UWEBSOCKETS_GIT_DIR USOCKETS_GIT_DIR [DEST]   # DEST: /tmp/uws
#
# Unpacks uWebSockets at UWS_COMMIT (default: the commit shared/peers/uws_peer/README.md names)
# into DEST/uWebSockets and uSockets at the commit that uWebSockets commit pins as its
# submodule into DEST/uSockets, then runs the peer's build.sh: the binary is DEST/uws_peer,
# where compare.sh looks for it by default (UWS_PEER), and DEST/uws_peer.version, the commits.
# Needs git, g++, rapidjson-dev, zlib1g-dev (bench/setup.sh installs them).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[[ $# -ge 2 ]] || {
  echo "usage: bench/build_uws_peer.sh UWEBSOCKETS_GIT_DIR USOCKETS_GIT_DIR [DEST]" >&2
  exit 2
}
uws_git=$1
us_git=$2
dest=${3:-/tmp/uws}
peers=${RTD_PEERS_DIR:-$root/../shared/peers}
uws_commit=${UWS_COMMIT:-66dcff3dd48f0c19dd1703426365d062039321d0}

# The gitlink of uWebSockets' uSockets submodule: "160000 commit SHA<TAB>uSockets".
us_commit=$(git --git-dir="$uws_git" ls-tree "$uws_commit" uSockets | awk '{ print $3 }')
[[ -n $us_commit ]] || { echo "build_uws_peer: no uSockets submodule in $uws_commit" >&2; exit 1; }
echo "build_uws_peer: uWebSockets $uws_commit, uSockets $us_commit -> $dest" >&2

mkdir -p "$dest"
rm -rf "$dest/uWebSockets" "$dest/uSockets"
git --git-dir="$uws_git" archive "$uws_commit" | tar -x -C "$dest" --one-top-level=uWebSockets
git --git-dir="$us_git" archive "$us_commit" | tar -x -C "$dest" --one-top-level=uSockets
# The archive leaves the submodule as an empty directory: point it at the unpacked uSockets.
rmdir "$dest/uWebSockets/uSockets" 2>/dev/null || true
ln -s ../uSockets "$dest/uWebSockets/uSockets"

OUT=$dest/uws_peer "$peers/uws_peer/build.sh" "$dest/uWebSockets"
# compare.sh copies this into the results: which sources the uws figures come from.
echo "uWebSockets $uws_commit, uSockets $us_commit" >"$dest/uws_peer.version"
