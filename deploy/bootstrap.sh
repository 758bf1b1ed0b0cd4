#!/usr/bin/env bash
# Installs what rtd needs to build, run and test on Debian 12, skipping what is already there.
# Idempotent; run as root (or through sudo).
set -euo pipefail

packages=(
  g++ cmake make ccache pkg-config       # toolchain
  libcaf-dev                             # actors (CAF 0.17)
  libboost-dev                           # Beast, Asio
  rapidjson-dev                          # JSON
  libspdlog-dev                          # logging
  doctest-dev                            # unit tests
  python3 python3-websockets python3-pytest # example client, integration tests
  chromium                               # browser test of the dashboard
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from another packaging that bundles npm: ask for the commands, not packages.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  as_root=()
  [[ $(id -u) -eq 0 ]] || as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
fi

# The dashboard's chart library, the JavaScript example's client and the browser driver.
root=$(cd "$(dirname "$0")/.." && pwd)
if [[ ! -d "$root/node_modules" || "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]]; then
  echo "bootstrap: installing npm packages"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
fi
