#!/usr/bin/env bash
# Installs, builds and runs every test: unit, actor-level and integration (real server, real
# clients) in the release build; the same again built with ASan + LSan + UBSan
# (tests/sanitize/run.sh, build-sanitize/); then each libFuzzer harness for
# RTD_FUZZ_SECONDS (default 60) s (tests/fuzz/run.sh, build-fuzz/). Arguments go to ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/build.sh"
(cd "$root/build" && ctest --output-on-failure --timeout 300 "$@")
"$root/tests/sanitize/run.sh" "$@"
"$root/tests/fuzz/run.sh"
