#!/usr/bin/env bash
# cluster.sh start|stop|status N [--dir DIR] [--http-base PORT] [--cluster-base PORT]
#            [--nginx] [--nginx-port PORT] [-- ARGS]
#
# A local cluster of N rtd-server nodes on 127.0.0.1, for trying it out and for tests. Node i
# (1..N) is named node-i, serves HTTP and WebSocket on http-base+i-1 (default 8001, ...) and
# links to the others on cluster-base+i-1 (default 7101, ...); each node joins all the
# others, so any of them can be restarted alone. Its data, log and PID file are under
# DIR/node-i (default build/cluster). ARGS after -- go to every node. The binary is
# $RTD_SERVER, default build/rtd-server.
# With --nginx, start also runs Debian's nginx in front of the nodes on 127.0.0.1:nginx-port
# (default 8000), with the config deploy/nginx/render.sh makes (the dashboard from
# $RTD_STATIC_DIR, default build/static), its pid file, logs and temporary files under
# DIR/nginx. stop and status handle that nginx whenever its pid file is there.
#   start   starts the nodes one after the other (refusing if one is running; node-1 is the
#           oldest, so it leads), then waits until all are ready
#   stop    SIGTERM to each node by its PID file, SIGKILL after 10 s; SIGQUIT to nginx
#   status  each node's PID, GET /health and GET /ready; nginx's PID and port
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

usage() {
  echo "usage: $0 start|stop|status N [--dir DIR] [--http-base PORT] [--cluster-base PORT]" \
    "[--nginx] [--nginx-port PORT] [-- SERVER ARGS]" >&2
  exit 2
}

(($# >= 2)) || usage
command=$1
count=$2
shift 2
[[ $command =~ ^(start|stop|status)$ && $count =~ ^[1-9][0-9]*$ ]] || usage
dir=$root/build/cluster
http_base=8001
cluster_base=7101
nginx=0
nginx_port=8000
server_args=()
while (($#)); do
  case $1 in
  --dir) dir=$2; shift 2 ;;
  --http-base) http_base=$2; shift 2 ;;
  --cluster-base) cluster_base=$2; shift 2 ;;
  --nginx) nginx=1; shift ;;
  --nginx-port) nginx_port=$2; shift 2 ;;
  --)
    shift
    server_args=("$@")
    break
    ;;
  *) usage ;;
  esac
done
server=${RTD_SERVER:-$root/build/rtd-server}

http_port() { echo $((http_base + $1 - 1)); }
cluster_port() { echo $((cluster_base + $1 - 1)); }
pid_of() { cat "$dir/node-$1/pid" 2>/dev/null || true; }
running() { local pid; pid=$(pid_of "$1"); [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; }
nginx_dir=$dir/nginx
nginx_pid() { cat "$nginx_dir/pid" 2>/dev/null || true; }
nginx_running() { local pid; pid=$(nginx_pid); [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; }

# GET PATH from node $1: prints "STATUS BODY" (bash's /dev/tcp: no HTTP client needed).
http_get() {
  local response
  { exec 3<>"/dev/tcp/127.0.0.1/$(http_port "$1")"; } 2>/dev/null || {
    echo "unreachable"
    return
  }
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
  response=$(timeout 2 cat <&3 || true)
  exec 3<&-
  local status=${response#HTTP/1.? }
  echo "${status%% *} ${response##*$'\r\n\r\n'}"
}

start() {
  [[ -x $server ]] || { echo "$0: no server at $server (build first, or set RTD_SERVER)" >&2; exit 1; }
  for ((i = 1; i <= count; i++)); do
    if running "$i"; then
      echo "$0: node-$i is running already (PID $(pid_of "$i")); stop it first" >&2
      exit 1
    fi
  done
  for ((i = 1; i <= count; i++)); do
    local node=$dir/node-$i joins=()
    for ((j = 1; j <= count; j++)); do
      ((j == i)) || joins+=("--join=127.0.0.1:$(cluster_port "$j")")
    done
    mkdir -p "$node/data"
    setsid "$server" --node-name="node-$i" --port="$(http_port "$i")" \
      --cluster-port="$(cluster_port "$i")" --data-dir="$node/data" "${joins[@]}" \
      "${server_args[@]}" </dev/null >"$node/log" 2>&1 &
    echo $! >"$node/pid"
    # Serving HTTP, it has its cluster actor: its seniority is fixed before the next starts,
    # so node-1 leads.
    wait_for "$i" /health
  done
  for ((i = 1; i <= count; i++)); do wait_for "$i" /ready; done
  if ((nginx)); then start_nginx; fi
  status
}

# wait_for I PATH: until node I answers PATH with 200 (it must keep running, 30 s at most).
wait_for() {
  local deadline=$((SECONDS + 30))
  until [[ $(http_get "$1" "$2") == 200* ]]; do
    if ! running "$1" || ((SECONDS >= deadline)); then
      echo "$0: node-$1 does not answer $2 with 200; its log ($dir/node-$1/log):" >&2
      tail -n 20 "$dir/node-$1/log" >&2
      exit 1
    fi
    sleep 0.1
  done
}

# nginx in the foreground (daemon off in the rendered config), so $! is its master.
start_nginx() {
  if nginx_running; then
    echo "$0: nginx is running already (PID $(nginx_pid)); stop it first" >&2
    exit 1
  fi
  local nodes=()
  for ((i = 1; i <= count; i++)); do nodes+=("$(http_port "$i")"); done
  mkdir -p "$nginx_dir"
  RTD_STATIC_DIR=${RTD_STATIC_DIR:-$root/build/static} \
    "$root/deploy/nginx/render.sh" "127.0.0.1:$nginx_port" "${nodes[@]}" >"$nginx_dir/nginx.conf"
  setsid /usr/sbin/nginx -c "$nginx_dir/nginx.conf" -p "$nginx_dir/" </dev/null \
    >"$nginx_dir/log" 2>&1 &
  echo $! >"$nginx_dir/pid"
  local deadline=$((SECONDS + 10))
  until { exec 3<>"/dev/tcp/127.0.0.1/$nginx_port"; } 2>/dev/null; do
    if ! nginx_running || ((SECONDS >= deadline)); then
      echo "$0: nginx did not start; its log ($nginx_dir/log, error.log):" >&2
      tail -n 20 "$nginx_dir/log" "$nginx_dir/error.log" >&2 2>/dev/null || true
      exit 1
    fi
    sleep 0.1
  done
  exec 3<&-
}

stop() {
  if nginx_running; then
    local pid waited=0
    pid=$(nginx_pid)
    kill -QUIT "$pid" # graceful: workers finish what they serve
    while kill -0 "$pid" 2>/dev/null && ((waited < 50)); do sleep 0.2; waited=$((waited + 1)); done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  fi
  rm -f "$nginx_dir/pid"
  for ((i = 1; i <= count; i++)); do
    if running "$i"; then kill -TERM "$(pid_of "$i")"; fi
  done
  for ((i = 1; i <= count; i++)); do
    local waited=0
    while running "$i" && ((waited < 50)); do sleep 0.2; waited=$((waited + 1)); done
    if running "$i"; then
      echo "$0: node-$i ignored SIGTERM for 10 s; killing it" >&2
      kill -KILL "$(pid_of "$i")"
    fi
    rm -f "$dir/node-$i/pid"
  done
}

status() {
  for ((i = 1; i <= count; i++)); do
    local pid="-"
    if running "$i"; then pid=$(pid_of "$i"); fi
    printf 'node-%s  pid %-8s http 127.0.0.1:%s  cluster 127.0.0.1:%s\n' "$i" "$pid" \
      "$(http_port "$i")" "$(cluster_port "$i")"
    printf '  /health %s\n  /ready  %s\n' "$(http_get "$i" /health)" "$(http_get "$i" /ready)"
  done
  if nginx_running; then
    printf 'nginx   pid %-8s http %s\n' "$(nginx_pid)" \
      "$(awk '/^    listen / { sub(/;$/, "", $2); print $2; exit }' "$nginx_dir/nginx.conf")"
  fi
}

"$command"
