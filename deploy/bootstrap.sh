#!/usr/bin/env bash
# Installs what rtd needs to build, run and test on Debian 12, skipping what is already there.
# Idempotent; run as root (or through sudo).
set -euo pipefail

packages=(
  g++ cmake make ccache pkg-config       # toolchain (g++ brings ASan, LSan and UBSan)
  clang libclang-rt-14-dev               # libFuzzer harnesses (tests/fuzz/run.sh)
  libcaf-dev                             # actors (CAF 0.17)
  libboost-dev                           # Beast, Asio
  rapidjson-dev                          # JSON
  libspdlog-dev                          # logging
  libssl-dev                             # TLS, the WebSocket accept key
  libjwt-dev                             # JWT verification
  libsqlite3-dev libisal-dev             # history store, crash journal checksums
  prometheus-cpp-dev                     # GET /metrics
  libhiredis-dev                         # the Redis bridge (--redis)
  liburing-dev                           # batched socket writes (io_uring)
  doctest-dev                            # unit tests
  python3 python3-websockets python3-pytest # example client, integration tests
  python3-jwt python3-prometheus-client python3-statsmodels # reference checks in tests
  redis-server python3-redis             # Redis bridge tests and examples
  chromium                               # browser test of the dashboard
  dpkg-dev file                          # the Debian package (dpkg-shlibdeps finds its depends)
  systemd strace nginx                   # package tests (systemd-analyze, the sandbox), nginx test
)

root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/deploy/apt_install.sh"
install_missing bootstrap "${packages[@]}" nodejs npm

# The dashboard's chart library, the JavaScript example's client and the browser driver.
if [[ ! -d "$root/node_modules" || "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]]; then
  echo "bootstrap: installing npm packages"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
fi
