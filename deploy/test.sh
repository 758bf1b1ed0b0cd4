#!/usr/bin/env bash
# Installs, builds and runs every test: unit, actor-level and integration (real server, real
# clients).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/build.sh"
cd "$root/build"
ctest --output-on-failure --timeout 300 "$@"
