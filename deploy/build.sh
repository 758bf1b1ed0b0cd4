#!/usr/bin/env bash
# Installs missing dependencies, then builds rtd (Release) into build/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/bootstrap.sh"
# The install prefix is explicit so that a build folder configured before it defaulted to /usr
# packages for /usr too (the Debian package and its units name /usr/bin, /etc/rtd).
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build "$root/build" -j2
