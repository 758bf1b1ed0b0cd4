#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, RTD_FUZZ=ON) in build-fuzz/ and runs each for
# RTD_FUZZ_SECONDS (default 60) from its seed corpus in tests/fuzz/corpus/. An input that
# crashes one, or breaks an invariant, is saved in tests/fuzz/crashes/ and the script fails;
# turn it into a unit test (tests/gateway or tests/protocol) once it is understood.
# Usage: tests/fuzz/run.sh [harness...]   (default: all of them)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build-fuzz"
seconds=${RTD_FUZZ_SECONDS:-60}
crashes="$root/tests/fuzz/crashes"

# harness -> libFuzzer options: a length that covers its limits, a dictionary where it helps.
declare -A options=(
  [fuzz_ws_frames]="-max_len=2048"
  [fuzz_decode]="-max_len=8192 -dict=$root/tests/fuzz/decode.dict"
  [fuzz_http]="-max_len=20000 -dict=$root/tests/fuzz/http.dict"
)
harnesses=("$@")
[[ ${#harnesses[@]} -gt 0 ]] || harnesses=(fuzz_ws_frames fuzz_decode fuzz_http)

export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
  -DRTD_FUZZ=ON >/dev/null
cmake --build "$build" --target "${harnesses[@]}" -j2 >/dev/null

failed=()
for harness in "${harnesses[@]}"; do
  # New inputs go to the build folder's corpus; the committed seeds are only read.
  corpus="$build/corpus/$harness"
  log="$build/$harness.log"
  mkdir -p "$corpus" "$crashes"
  # shellcheck disable=SC2086 # the options are words
  if "$build/fuzz/$harness" ${options[$harness]} -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/$harness-" \
    "$corpus" "$root/tests/fuzz/corpus/$harness" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz: $harness: $runs inputs in ${seconds} s, no failure"
  else
    echo "fuzz: $harness FAILED (log: $log):"
    grep -E 'ERROR|runtime error|SUMMARY|Test unit written|deadly signal|#[0-9]+ ' "$log" | head -30
    failed+=("$harness")
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: failing inputs kept in $crashes: ${failed[*]}"
  exit 1
fi
