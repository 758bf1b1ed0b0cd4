#!/usr/bin/env python3
"""Redis ingest under load: notifications PUBLISHed to rtd:publish:notifications at a given
rate reach N WebSocket subscribers; how many per second, and how long from PUBLISH to receipt.

Starts redis-server (a free loopback port, no persistence) and rtd-server with --redis (the
ingest rate limit lifted), then for each rate runs `rtd-bench ingest` (N subscribers to
`notifications`) while this script publishes "bench <microseconds since the epoch>" messages at
that rate; rtd-bench measures each delivery's latency from that stamp (same machine, same
clock), so it is PUBLISH -> Redis -> the bridge -> notifier -> channel -> WebSocket receipt.
Prints one JSON line per rate: target and achieved ingest/s (deliveries/s over subscribers),
latency p50/p90/p99 in microseconds, gaps, disconnects, rtd's and rtd-bench's CPU. When the
achieved rate falls short of the target, the backlog grows (in socket buffers, or in Redis's
output buffer for the bridge) and so does the latency: the sustained rate is the highest target
still met.

Usage: bench/redis_ingest.py [--build build] [--connections 1000] [--rates 200,1000]
                             [--duration 5] [--warmup 1]
Needs redis-server and python3-redis; rtd-server and rtd-bench built in --build.
"""

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

import redis

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
LISTENING = re.compile(r"listening on http://[^:]+:(\d+)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(directory):
    port = free_port()
    config = os.path.join(directory, "redis.conf")
    with open(config, "w") as f:
        f.write(f'port {port}\nbind 127.0.0.1\nsave ""\nappendonly no\ndir {directory}\n')
    process = subprocess.Popen([shutil.which("redis-server") or "/usr/bin/redis-server", config],
                               stdout=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            return process, port
        except redis.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit("redis-server did not start")
            time.sleep(0.05)


def start_rtd(build, redis_port, directory):
    args = [os.path.join(build, "rtd-server"), "--host=127.0.0.1", "--port=0",
            f"--data-dir={directory}", f"--redis=redis://127.0.0.1:{redis_port}",
            "--redis-egress=none", "--redis-ingest-rate=1e7", "--redis-ingest-burst=1e6",
            "--log-level=warn"]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in process.stdout:
        match = LISTENING.search(line)
        if match:
            # Keep draining its output so that it never blocks on a full pipe.
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process, int(match.group(1))
    raise SystemExit("rtd-server did not start")


def publish(port, rate, stop, counts):
    """PUBLISHes stamped notifications at `rate` per second until `stop` is set."""
    client = redis.Redis(port=port)
    started = time.monotonic()
    sent = 0
    while not stop.is_set():
        due = int((time.monotonic() - started) * rate) - sent
        if due <= 0:
            time.sleep(0.0005)
            continue
        pipe = client.pipeline(transaction=False)
        for _ in range(due):
            pipe.publish("rtd:publish:notifications",
                         json.dumps({"message": f"bench {time.time_ns() // 1000}"}))
        pipe.execute()
        sent += due
    counts["published"] = sent
    counts["seconds"] = time.monotonic() - started


def metric(rtd_port, name):
    connection = http.client.HTTPConnection("127.0.0.1", rtd_port, timeout=5)
    connection.request("GET", "/metrics")
    for line in connection.getresponse().read().decode().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return None


def run_rate(args, rtd, rtd_port, redis_port, rate):
    bench = subprocess.Popen(
        [os.path.join(args.build, "rtd-bench"), "ingest", f"--url=ws://127.0.0.1:{rtd_port}/ws",
         f"--connections={args.connections}", f"--duration={args.duration}",
         f"--warmup={args.warmup}", f"--pid={rtd.pid}", f"--label=redis_ingest_{rate}"],
        stdout=subprocess.PIPE, text=True)
    stop, counts = threading.Event(), {}
    publisher = threading.Thread(target=publish, args=(redis_port, rate, stop, counts))
    publisher.start()
    out, _ = bench.communicate(timeout=args.duration + args.warmup + 180)
    stop.set()
    publisher.join()
    result = json.loads(out.strip().splitlines()[-1])
    ready = max(result["ready"], 1)
    latency = result["latency_us"]
    return {
        "case": "redis_ingest", "connections": args.connections, "target_per_s": rate,
        "ingest_per_s": round(result["deliveries_per_s"] / ready, 1),
        "deliveries_per_s": result["deliveries_per_s"],
        "publisher_per_s": round(counts["published"] / counts["seconds"], 1),
        "latency_us": {k: latency[k] for k in ("p50", "p90", "p99", "max")},
        "seq_gaps": result["seq_gaps"], "disconnects": result["disconnects"],
        "rate_limited": metric(rtd_port, "rtd_redis_rate_limited_total"),
        "server_cpu_pct": result["server"].get("cpu_pct"),
        "bench_cpu_pct": result["bench_cpu_pct"], "ok": result["ok"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--rates", default="200,1000")
    parser.add_argument("--duration", type=float, default=5)
    parser.add_argument("--warmup", type=float, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rtd-redis-bench-") as directory:
        redis_process, redis_port = start_redis(directory)
        rtd, rtd_port = start_rtd(args.build, redis_port, directory)
        try:
            for rate in (float(r) for r in args.rates.split(",")):
                print(json.dumps(run_rate(args, rtd, rtd_port, redis_port, rate)), flush=True)
        finally:
            rtd.terminate()
            rtd.wait(10)
            redis_process.terminate()
            redis_process.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
