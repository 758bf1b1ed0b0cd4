#!/usr/bin/env bash
# Installs, builds and starts rtd-server on http://localhost:8000 (extra arguments go to it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/build.sh"
exec "$root/build/rtd-server" "$@"
