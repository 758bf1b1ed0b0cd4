#!/usr/bin/env bash
# Builds rtd with ASan + LSan + UBSan (RTD_SANITIZE=ON, -O1) in build-sanitize/ and runs its
# tests there, two test programs at a time: unit, actor and integration, the integration tests
# against that folder's server. Any sanitizer report fails the test that caused it
# (tests/sanitize/default_options.cpp; the few third-party reports suppressed, each explained,
# in ubsan.supp). Arguments go to ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build-sanitize"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DRTD_SANITIZE=ON >/dev/null
cmake --build "$build" -j2
cd "$build"
ctest -j2 --output-on-failure --timeout 900 "$@"
