#!/usr/bin/env bash
# Installs missing dependencies, then builds rtd (Release) into build/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/bootstrap.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" -j2
