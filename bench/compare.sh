#!/usr/bin/env bash
# Side-by-side benchmark of rtd and the reference peers (shared/peers: uWebSockets, Node ws,
# FastAPI), in one run, with the same load: each server pinned to CPU 0, rtd-bench to CPU 1.
# Writes bench/RESULTS.md.
#
#   bench/compare.sh            # after ./deploy/build.sh; about 25 minutes
#
# Environment: BENCH_DURATION (s per measured window, default 10), RTD_PEERS_DIR (default
# ../shared/peers), RTD_BUILD_DIR (default build/), RTD_ARGS (extra rtd-server flags),
# BENCH_SKIP_PROFILE=1, BENCH_ONLY="rtd uws node fastapi" (servers to run), BENCH_CASES (cases
# to run, default all: see `all_cases`; `history` is rtd's fan-out with history on and off,
# `store` the history engine's throughput), UWS_PEER (the uWS peer binary, default
# /tmp/uws/uws_peer, built by bench/build_uws_peer.sh; skipped with a message when absent).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RTD_BUILD_DIR:-$root/build}
peers=${RTD_PEERS_DIR:-$root/../shared/peers}
duration=${BENCH_DURATION:-10}
only=${BENCH_ONLY:-rtd uws node fastapi}
uws_peer=${UWS_PEER:-/tmp/uws/uws_peer}
all_cases="fanout1k_20ms fanout1k fanout5k ping50 calc50 conns5k conns15k fanout19k"
all_cases+=" floor profile mc history store"
cases=${BENCH_CASES:-$all_cases}
out=$build/bench-results
results_md=$root/bench/RESULTS.md

log() { echo "compare: $*" >&2; }
want() { [[ " $cases " == *" $1 "* ]]; }

if [[ " $only " == *" uws "* && ! -x $uws_peer ]]; then
  log "no uWS peer at $uws_peer: running without uws (build it with bench/build_uws_peer.sh" \
    "UWEBSOCKETS_GIT_DIR USOCKETS_GIT_DIR, or set UWS_PEER; see bench/README.md)"
  only=$(echo " $only " | sed 's/ uws / /')
fi
for c in $cases; do
  [[ " $all_cases " == *" $c "* ]] || { log "unknown case $c (cases: $all_cases)"; exit 2; }
done

"$root/bench/setup.sh" "$peers" "$build"
log "building rtd-server, rtd-bench, mc_bench and floor_send (Release)"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target rtd-server rtd-bench mc_bench floor_send store_bench >/dev/null

rm -rf "$out"
mkdir -p "$out"
: >"$out/commands.txt"
echo "$only" >"$out/servers.txt"
if [[ " $only " == *" uws "* && -f $uws_peer.version ]]; then
  cp "$uws_peer.version" "$out/uws_peer.version"
fi
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
        --data-dir="$data" --log-level=warn ${RTD_ARGS:-} ${rtd_extra:-})
      ;;
    fastapi)
      cmd=(/usr/bin/python3 "$peers/fastapi_peer.py" --port "$server_port" --interval "$interval"
        --backlog 4096)
      ;;
    node)
      cmd=(node "$build/peers/node_ws_peer/server.js" --port "$server_port" --interval "$interval"
        --backlog 4096)
      ;;
    uws)
      cmd=("$uws_peer" --port "$server_port" --interval "$interval")
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

# run_case SERVER CASE INTERVAL_MS RTD-BENCH-ARGS...: a fresh server for every case; nothing
# when CASE (or `group`, when set) is not in BENCH_CASES. `rtd_extra`: flags for rtd-server.
run_case() {
  local name=$1 case=$2 interval=$3
  shift 3
  want "${group:-$case}" || return 0
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
  want profile || return 0
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

# each_server CASE INTERVAL_MS RTD-BENCH-ARGS...: run_case for every server in turn, so that the
# figures compared are minutes apart, not a whole run apart.
each_server() {
  local name
  for name in $only; do run_case "$name" "$@"; done
}

# fanout1k_20ms is unsaturated everywhere (50 ticks/s); at 100 ticks/s the servers (or the load
# generator) saturate. conns15k needs two load processes (20,000 files per process).
D=$duration
each_server fanout1k_20ms 20 fanout --connections 1000 --duration "$D" --setup-timeout 60
each_server fanout1k 10 fanout --connections 1000 --duration "$D" --setup-timeout 60
each_server fanout5k 10 fanout --connections 5000 --duration "$D" --setup-timeout 90
each_server ping50 10 ping --connections 50 --duration "$D"
each_server calc50 10 calc --connections 50 --duration "$D"
each_server conns5k 60000 conns --connections 5000 --duration 2 --warmup 2 --setup-timeout 90
each_server conns15k 60000 conns --connections 15000 --procs 2 --duration 2 --warmup 2 \
  --setup-timeout 150
if [[ " $only " == *" rtd "* ]]; then
  run_case rtd fanout19k 1000 fanout --connections 19000 --procs 2 --duration "$D" \
    --warmup 1.5 --setup-timeout 150
fi

# History on disk (the default) against --history=off, on the loads of fanout1k_20ms and calc50, alternating
# twice: the difference between on and off is to be compared with that between two runs of the
# same. Then the history engine alone (store_bench: batched writes, journal appends, reads).
if [[ " $only " == *" rtd "* ]]; then
  for round in 1 2; do
    for mode in on off; do
      group=history rtd_extra=--history=$mode run_case rtd "history_$mode$round" 20 fanout \
        --connections 1000 --duration "$D" --setup-timeout 60
    done
  done
  # The same for calc50, where every update is a publication of `calculations` and every
  # result is kept: what history costs a calculation.
  for round in 1 2; do
    for mode in on off; do
      group=history rtd_extra=--history=$mode run_case rtd "history_calc_$mode$round" 10 calc \
        --connections 50 --duration "$D"
    done
  done
fi
if want store; then
  log "store_bench"
  echo "taskset -c 0 $build/store_bench" >>"$out/commands.txt"
  taskset -c 0 "$build/store_bench" >"$out/store.txt" 2>&1 || log "store_bench failed"
fi

# The floor: the same frame written with plain send() to 1,000 loopback sockets, sender on CPU
# 0 and reader on CPU 1 as in the fan-out cases; paced like fanout1k, then back to back.
if want floor; then
  for pace in 100 0; do
    log "floor_send, $pace rounds/s"
    cmd=(taskset -c 0,1 "$build/floor_send" --connections 1000 --duration "$D" --ticks-per-s "$pace"
      --sender-cpu 0 --sink-cpu 1 --label "floor.$pace")
    echo "${cmd[*]}" >>"$out/commands.txt"
    "${cmd[@]}" >"$out/floor.$pace.json" 2>"$out/floor.$pace.err" ||
      log "floor_send failed: $(tail -3 "$out/floor.$pace.err")"
    sleep 1
  done
fi

if [[ ${BENCH_SKIP_PROFILE:-0} != 1 ]] && want profile && [[ " $only " == *" rtd "* ]]; then
  if perf stat -e cpu-clock true >/dev/null 2>&1; then
    profile_case fanout1k 10 fanout --connections 1000
    profile_case calc50 10 calc --connections 50
  else
    log "perf does not work here: no profile"
  fi
fi

if want mc; then
  log "Monte Carlo"
  echo "taskset -c 0 $build/mc_bench" >>"$out/commands.txt"
  taskset -c 0 "$build/mc_bench" >"$out/mc.rtd.json"
  echo "taskset -c 0 /usr/bin/python3 bench/mc_numpy.py" >>"$out/commands.txt"
  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 taskset -c 0 /usr/bin/python3 \
    "$root/bench/mc_numpy.py" >"$out/mc.numpy.json"
fi

cat /proc/loadavg >"$out/loadavg.end"
/usr/bin/python3 "$root/bench/render_results.py" "$out" "$results_md"
log "wrote $results_md"
