"""Reading the result files of one compare.sh run: one JSON line per case and server."""
import json
import os

TICKS = {"fanout1k_20ms": 50, "fanout1k": 100, "fanout5k": 100}  # ticks/s each case publishes


def load(results, name):
    path = os.path.join(results, name)
    try:
        with open(path) as f:
            text = f.read().strip()
        return json.loads(text.splitlines()[-1]) if text else None
    except (OSError, ValueError, IndexError):
        return None


def read_text(results, name):
    try:
        with open(os.path.join(results, name)) as f:
            return f.read().strip()
    except OSError:
        return None


def fmt(v, digits=0):
    if v is None:
        return "n/a"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (int, float)):
        if digits == 0:
            return f"{v:,.0f}"
        return f"{v:,.{digits}f}"
    return str(v)


def ratio(a, b):
    if a is None or b is None or not b:
        return "n/a"
    return f"{a / b:.2f}x"


def floor_us(results):
    """CPU µs of one send() of the frame to one of 1,000 sockets, 100 rounds/s: the floor."""
    r = load(results, "floor.100.json")
    return r["variants"]["send"]["cpu_us_per_send"] if r else None


def metric(r, key, floor=None):
    """Extracts a figure from a result line; None when the run failed."""
    if not r:
        return None
    srv = r.get("server", {})
    lat = r.get("latency_us") or r.get("rtt_us") or {}
    getters = {
        "deliveries_per_s": lambda: r.get("deliveries_per_s"),
        "round_trips_per_s": lambda: r.get("round_trips_per_s"),
        "calcs_per_s": lambda: r.get("calcs_per_s"),
        "cpu_pct": lambda: srv.get("cpu_pct"),
        "cpu_us": lambda: next((v for k, v in srv.items() if k.startswith("cpu_us_per_")), None),
        "cpu_over_floor": lambda: metric(r, "cpu_us") / floor,
        "p50_ms": lambda: lat.get("p50", 0) / 1000,
        "p99_ms": lambda: lat.get("p99", 0) / 1000,
        "p999_ms": lambda: lat.get("p999", 0) / 1000,
        "max_ms": lambda: lat.get("max", 0) / 1000,
        "p50_us": lambda: lat.get("p50"),
        "p99_us": lambda: lat.get("p99"),
        "ticks_per_conn_s": lambda: (r["deliveries"] / r["ready"] / r["duration_s"])
        if r.get("ready") else None,
        "seq_gaps": lambda: r.get("seq_gaps"),
        "disconnects": lambda: r.get("disconnects"),
        "connect_failures": lambda: r.get("connect_failures"),
        "wrong_values": lambda: r.get("wrong_values"),
        "errors": lambda: r.get("errors"),
        "ready": lambda: r.get("ready"),
        "rss_per_conn_kib": lambda: srv.get("rss_per_conn_kib"),
        "rss_ready_mib": lambda: srv.get("rss_ready_kib", 0) / 1024,
        "bench_cpu_pct": lambda: r.get("bench_cpu_pct"),
        "setup_s": lambda: r.get("setup_s"),
    }
    try:
        return getters[key]()
    except (KeyError, TypeError, ZeroDivisionError):
        return None
