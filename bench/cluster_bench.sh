#!/usr/bin/env bash
# The cluster's figures, rtd only (no peer has a cluster to compare with): three nodes on this
# machine started by deploy/cluster.sh, rtd-bench against each. Writes one JSON line per node
# and case to build/bench-results/cluster/ and bench/CLUSTER_RESULTS.md (never edited by hand).
#   latency  50 ticks/s, 1,000 subscribers on the leader and 1,000 on a follower at once:
#            publish-to-receipt (the leader's timestamp to receipt) on each
#   spread   50 ticks/s, 3,000 subscribers on one node alone, then 1,000 on each of 3 nodes:
#            deliveries/s and latency
#   big      1 tick/s, 18,000 subscribers on each of 3 nodes (54,000, beyond one process's
#            file limit): every tick to every connection, RSS per node
# Everything shares the machine's cores (3 servers, their load generators): the figures say
# what one box does, not what 3 machines would. BENCH_DURATION (default 10) s per window;
# BENCH_CASES (default "latency spread big") picks cases.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build
out=$build/bench-results/cluster
duration=${BENCH_DURATION:-10}
cases=${BENCH_CASES:-latency spread big}
bench_bin=$build/rtd-bench
cluster=$root/deploy/cluster.sh
dir=$build/bench-cluster

log() { echo "cluster_bench: $*" >&2; }
want() { [[ " $cases " == *" $1 "* ]]; }

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target rtd-server rtd-bench >/dev/null
rm -rf "$out" "$dir"
mkdir -p "$out"
: >"$out/commands.txt"

pid_of() { cat "$dir/node-$1/pid"; }
url_of() { echo "ws://127.0.0.1:$((8100 + $1))/ws"; }

# start_nodes N INTERVAL_MS: N clustered nodes (node-1 leads: it starts first).
start_nodes() {
  "$cluster" start "$1" --dir "$dir" --http-base 8101 --cluster-base 7201 -- \
    --market-interval-ms="$2" --max-connections=19000 --log-level=warn >/dev/null
}
stop_nodes() { "$cluster" stop "$1" --dir "$dir" >/dev/null; sleep 1; }

# bench NODE LABEL ARGS...: rtd-bench fanout against node NODE, in the background.
bench() {
  local node=$1 label=$2
  shift 2
  local cmd=("$bench_bin" fanout --url "$(url_of "$node")" --pid "$(pid_of "$node")"
    --duration "$duration" --label "$label" "$@")
  echo "${cmd[*]}" >>"$out/commands.txt"
  "${cmd[@]}" >"$out/$label.json" 2>"$out/$label.err" &
}

if want latency; then
  log "latency: 1,000 subscribers on the leader and on a follower, 50 ticks/s"
  start_nodes 3 20
  bench 1 latency.leader --connections 1000
  bench 2 latency.follower --connections 1000
  wait
  stop_nodes 3
fi

if want spread; then
  log "spread: 3,000 subscribers on one node alone"
  start_nodes 1 20
  bench 1 spread.one_node --connections 3000
  wait
  stop_nodes 1
  log "spread: 1,000 subscribers on each of 3 nodes"
  start_nodes 3 20
  for n in 1 2 3; do bench "$n" "spread.node$n" --connections 1000; done
  wait
  stop_nodes 3
fi

if want big; then
  log "big: 18,000 subscribers on each of 3 nodes, 1 tick/s"
  start_nodes 3 1000
  for n in 1 2 3; do
    bench "$n" "big.node$n" --connections 18000 --procs 2 --warmup 1.5 --setup-timeout 240
  done
  wait
  stop_nodes 3
fi

/usr/bin/python3 "$root/bench/render_cluster.py" "$out" >"$root/bench/CLUSTER_RESULTS.md"
log "wrote bench/CLUSTER_RESULTS.md"
