#!/usr/bin/env bash
# Side-by-side benchmark of rtd and the reference peers (shared/peers), in one run, with the
# same load: each server pinned to CPU 0, rtd-bench to CPU 1. Writes bench/RESULTS.md.
#
#   bench/compare.sh            # after ./deploy/build.sh; about 10 minutes
#
# Environment: BENCH_DURATION (s per measured window, default 10), RTD_PEERS_DIR (default
# ../shared/peers), RTD_BUILD_DIR (default build/), RTD_ARGS (extra rtd-server flags),
# BENCH_SKIP_PROFILE=1, BENCH_ONLY="rtd fastapi node" (servers to run).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RTD_BUILD_DIR:-$root/build}
peers=${RTD_PEERS_DIR:-$root/../shared/peers}
duration=${BENCH_DURATION:-10}
only=${BENCH_ONLY:-rtd fastapi node}
out=$build/bench-results
results_md=$root/bench/RESULTS.md

log() { echo "compare: $*" >&2; }

"$root/bench/setup.sh" "$peers" "$build"
log "building rtd-server, rtd-bench and mc_bench (Release)"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target rtd-server rtd-bench mc_bench >/dev/null

rm -rf "$out"
mkdir -p "$out"
: >"$out/commands.txt"
cat /proc/loadavg >"$out/loadavg.start"
bench_bin=$build/rtd-bench
server_pid=
server_port=

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_port() { # PORT: until it accepts connections (30 s)
  for _ in $(seq 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# start_server NAME INTERVAL_MS LOGFILE: sets server_pid and server_port.
start_server() {
  local name=$1 interval=$2 logfile=$3 cmd
  server_port=$(free_port)
  case $name in
    rtd)
      local data
      data=$(mktemp -d)
      cmd=("$build/rtd-server" --port="$server_port" --market-interval-ms="$interval"
        --max-connections=25000 --rate-limit=1000000000 --rate-burst=1000000000
        --data-dir="$data" --log-level=warn ${RTD_ARGS:-})
      ;;
    fastapi)
      cmd=(/usr/bin/python3 "$peers/fastapi_peer.py" --port "$server_port" --interval "$interval"
        --backlog 4096)
      ;;
    node)
      cmd=(node "$build/peers/node_ws_peer/server.js" --port "$server_port" --interval "$interval"
        --backlog 4096)
      ;;
  esac
  echo "taskset -c 0 ${cmd[*]}" >>"$out/commands.txt"
  (exec taskset -c 0 "${cmd[@]}" >"$logfile" 2>&1) &
  server_pid=$!
  if ! wait_port "$server_port"; then
    log "$name did not start; its log:"
    cat "$logfile" >&2
    return 1
  fi
}

stop_server() {
  [[ -n $server_pid ]] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}
trap stop_server EXIT

# run_case SERVER CASE INTERVAL_MS RTD-BENCH-ARGS...: a fresh server for every case.
run_case() {
  local name=$1 case=$2 interval=$3
  shift 3
  log "$name $case"
  start_server "$name" "$interval" "$out/$name.$case.log"
  local cmd=(taskset -c 1 "$bench_bin" "$@" --url "ws://127.0.0.1:$server_port/ws"
    --pid "$server_pid" --label "$name.$case")
  echo "${cmd[*]}" >>"$out/commands.txt"
  if ! "${cmd[@]}" >"$out/$name.$case.json" 2>"$out/$name.$case.err"; then
    log "rtd-bench failed for $name $case: $(tail -3 "$out/$name.$case.err")"
  fi
  stop_server
  sleep 1 # let the kernel settle closed sockets between cases
}

# profile_case CASE INTERVAL RTD-BENCH-ARGS...: perf of rtd-server during a run of that load.
profile_case() {
  local case=$1 interval=$2
  shift 2
  log "profile rtd $case"
  start_server rtd "$interval" "$out/profile.$case.log"
  local secs
  secs=$(awk "BEGIN { print $duration + 1 }")
  taskset -c 1 "$bench_bin" "$@" --url "ws://127.0.0.1:$server_port/ws" --pid "$server_pid" \
    --label "profile.$case" --warmup 1 --duration "$duration" >"$out/profile.$case.json" \
    2>"$out/profile.$case.err" &
  local bench=$!
  sleep 1.5
  echo "perf record -e cpu-clock -F 499 -p PID -- sleep $secs   (during: rtd-bench $*)" \
    >>"$out/commands.txt"
  perf record -q -e cpu-clock -F 499 -p "$server_pid" -o "$out/perf.$case.data" \
    -- sleep "$secs" >/dev/null 2>&1 || log "perf record failed"
  wait "$bench" || true
  stop_server
  perf report -i "$out/perf.$case.data" --stdio --no-children --sort symbol \
    --percent-limit 0.7 2>/dev/null | grep -v '^#' | grep -v '^$' | head -25 \
    >"$out/profile.$case.txt" || true
  perf report -i "$out/perf.$case.data" --stdio --no-children --sort dso 2>/dev/null |
    grep -v '^#' | grep -v '^$' | head -8 >"$out/profile.$case.dso.txt" || true
  sleep 1
}

D=$duration
for name in $only; do
  run_case "$name" fanout1k 10 fanout --connections 1000 --duration "$D" --setup-timeout 60
  run_case "$name" fanout5k 10 fanout --connections 5000 --duration "$D" --setup-timeout 90
  run_case "$name" ping50 10 ping --connections 50 --duration "$D"
  run_case "$name" calc50 10 calc --connections 50 --duration "$D"
  run_case "$name" conns5k 60000 conns --connections 5000 --duration 2 --warmup 2 \
    --setup-timeout 90
  if [[ $name == rtd ]]; then
    run_case rtd conns15k 60000 conns --connections 15000 --procs 2 --duration 2 --warmup 2 \
      --setup-timeout 120
    run_case rtd fanout19k 1000 fanout --connections 19000 --procs 2 --duration "$D" \
      --warmup 1.5 --setup-timeout 150
  fi
done

if [[ ${BENCH_SKIP_PROFILE:-0} != 1 ]] && [[ " $only " == *" rtd "* ]]; then
  if perf stat -e cpu-clock true >/dev/null 2>&1; then
    profile_case fanout1k 10 fanout --connections 1000
    profile_case calc50 10 calc --connections 50
  else
    log "perf does not work here: no profile"
  fi
fi

log "Monte Carlo"
echo "taskset -c 0 $build/mc_bench" >>"$out/commands.txt"
taskset -c 0 "$build/mc_bench" >"$out/mc.rtd.json"
echo "taskset -c 0 /usr/bin/python3 bench/mc_numpy.py" >>"$out/commands.txt"
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 taskset -c 0 /usr/bin/python3 "$root/bench/mc_numpy.py" \
  >"$out/mc.numpy.json"

cat /proc/loadavg >"$out/loadavg.end"
/usr/bin/python3 "$root/bench/render_results.py" "$out" "$results_md"
log "wrote $results_md"
