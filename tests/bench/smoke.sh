#!/usr/bin/env bash
# Smoke run of rtd-bench against rtd-server (a few seconds, not timed): asserts correctness only.
#   fanout, 50 subscribers, 20 ms ticks, 3 s: deliveries > 0, no seq gaps, no disconnects
#   ping, 10 clients, 2 s: round trips > 0, no errors, no disconnects
#   calc, 10 clients, 2 s: calcs > 0, every result.npv right, no errors
# The same three against the uWebSockets peer when its binary is there (bench/README.md: it is
# built from sources fetched outside the project, so CI usually has none and says so).
# Environment: RTD_SERVER, RTD_BENCH (default: build/rtd-server, build/rtd-bench), UWS_PEER
# (default /tmp/uws/uws_peer).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
server=${RTD_SERVER:-$root/build/rtd-server}
bench=${RTD_BENCH:-$root/build/rtd-bench}
work=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$server" --port=0 --market-interval-ms=20 --rate-limit=1000000 --rate-burst=1000000 \
  --data-dir="$work/data" --log-level=info >"$work/server.log" 2>&1 &
server_pid=$!
port=
for _ in $(seq 100); do
  port=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$work/server.log" | sed 's/.*://' || true)
  [[ -n $port ]] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [[ -z $port ]]; then
  echo "smoke: rtd-server did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
fi
url=ws://127.0.0.1:$port/ws

failed=0
check() { # NAME JSON-FILE PYTHON-CONDITIONS...
  local name=$1 file=$2
  shift 2
  if /usr/bin/python3 - "$file" "$@" <<'EOF'; then
import json, sys
r = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
bad = [c for c in sys.argv[2:] if not eval(c, {}, dict(r))]
if bad:
    print("  failed: " + "; ".join(bad))
    print("  result: " + json.dumps(r))
    sys.exit(1)
EOF
    echo "smoke: $name ok"
  else
    echo "smoke: $name FAILED" >&2
    failed=$((failed + 1))
  fi
}

run() { # NAME ARGS...: runs rtd-bench, result to $work/NAME.json
  local name=$1
  shift
  if ! "$bench" "$@" --url "$url" --pid "$server_pid" --warmup 0.5 >"$work/$name.json" \
    2>"$work/$name.err"; then
    echo "smoke: rtd-bench $name failed: $(cat "$work/$name.err")" >&2
    echo '{}' >"$work/$name.json"
  fi
}

run fanout fanout --connections 50 --duration 3
check fanout "$work/fanout.json" "ready == 50" "deliveries > 0" "seq_gaps == 0" \
  "seq_disorder == 0" "disconnects == 0" "connect_failures == 0" "missing_timestamp == 0" \
  "per_conn_min > 0"

run ping ping --connections 10 --duration 2
check ping "$work/ping.json" "ready == 10" "round_trips > 0" "errors == 0" "disconnects == 0" \
  "stalled == 0"

run calc calc --connections 10 --duration 2
check calc "$work/calc.json" "ready == 10" "calcs > 0" "wrong_values == 0" "calc_failed == 0" \
  "errors == 0" "protocol_violations == 0" "disconnects == 0"

checks=3
uws=${UWS_PEER:-/tmp/uws/uws_peer}
if [[ -x $uws ]]; then
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  uws_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$uws" --port "$uws_port" --interval 20 >"$work/uws.log" 2>&1 &
  server_pid=$!
  url=ws://127.0.0.1:$uws_port/ws
  for _ in $(seq 100); do
    /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $uws_port), 1)" \
      2>/dev/null && break
    sleep 0.1
  done
  run uws-fanout fanout --connections 50 --duration 2
  check "uws fanout" "$work/uws-fanout.json" "ready == 50" "deliveries > 0" "seq_gaps == 0"
  run uws-ping ping --connections 10 --duration 1
  check "uws ping" "$work/uws-ping.json" "ready == 10" "round_trips > 0" "errors == 0"
  run uws-calc calc --connections 10 --duration 1
  check "uws calc" "$work/uws-calc.json" "ready == 10" "calcs > 0" "wrong_values == 0"
  checks=6
else
  echo "smoke: no uWebSockets peer at $uws: its runs are skipped (see bench/README.md)"
fi

passed=$((checks - failed))
echo "$passed passed, $failed failed"
((failed == 0))
