#!/usr/bin/python3
"""Writes bench/RESULTS.md from the result files of one compare.sh run.

    /usr/bin/python3 bench/render_results.py RESULTS_DIR OUTPUT.md
"""
import datetime
import json
import os
import platform
import re
import subprocess
import sys

SERVERS = [("rtd", "rtd"), ("fastapi", "FastAPI (uvloop)"), ("node", "Node ws")]
PEERS = ["fastapi", "node"]

# shared/peers/README.md: uWebSockets on this kind of machine (measured outside this project).
UWS = {
    ("fanout1k", "deliveries_per_s"): 100003,
    ("fanout1k", "cpu_pct"): 51,
    ("fanout1k", "cpu_us"): 5.1,
    ("fanout1k", "p50_ms"): 2.7,
    ("fanout1k", "p99_ms"): 6.4,
    ("fanout5k", "deliveries_per_s"): 147045,
    ("ping50", "round_trips_per_s"): 156204,
    ("ping50", "p50_us"): 305,
    ("ping50", "p99_us"): 538,
    ("calc50", "calcs_per_s"): 107323,
    ("conns5k", "rss_per_conn_kib"): 0.46 * 1000 / 1024,
}


def load(results, name):
    path = os.path.join(results, name)
    try:
        with open(path) as f:
            text = f.read().strip()
        return json.loads(text.splitlines()[-1]) if text else None
    except (OSError, ValueError, IndexError):
        return None


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=10).stdout
    except Exception:
        return ""


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


def metric(r, key):
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


# (case, metric, label, digits, better): better is "high", "low" or "" (no ratio judgement)
ROWS = [
    ("fanout1k", "deliveries_per_s", "fan-out 1,000 subs, 10 ms ticks: deliveries/s", 0, "high"),
    ("fanout1k", "ticks_per_conn_s", "  same: ticks/s received per connection (100 sent)", 1, "high"),
    ("fanout1k", "cpu_pct", "  same: server CPU %", 0, "low"),
    ("fanout1k", "cpu_us", "  same: **server CPU µs per delivery**", 2, "low"),
    ("fanout1k", "p50_ms", "  same: latency p50 (ms)", 1, "low"),
    ("fanout1k", "p99_ms", "  same: latency p99 (ms)", 1, "low"),
    ("fanout1k", "p999_ms", "  same: latency p99.9 (ms)", 1, "low"),
    ("fanout1k", "max_ms", "  same: latency max (ms)", 1, "low"),
    ("fanout1k", "seq_gaps", "  same: seq gaps", 0, ""),
    ("fanout1k", "bench_cpu_pct", "  same: load generator CPU %", 0, ""),
    ("fanout5k", "deliveries_per_s", "fan-out 5,000 subs, 10 ms ticks: deliveries/s", 0, "high"),
    ("fanout5k", "ticks_per_conn_s", "  same: ticks/s received per connection (100 sent)", 1, "high"),
    ("fanout5k", "cpu_us", "  same: **server CPU µs per delivery**", 2, "low"),
    ("fanout5k", "p50_ms", "  same: latency p50 (ms)", 1, "low"),
    ("fanout5k", "p99_ms", "  same: latency p99 (ms)", 1, "low"),
    ("fanout5k", "seq_gaps", "  same: seq gaps", 0, ""),
    ("fanout5k", "disconnects", "  same: disconnects", 0, ""),
    ("fanout5k", "setup_s", "  same: time to connect and subscribe all (s)", 1, "low"),
    ("fanout5k", "bench_cpu_pct", "  same: load generator CPU %", 0, ""),
    ("ping50", "round_trips_per_s", "ping, 50 clients closed loop: round trips/s", 0, "high"),
    ("ping50", "cpu_us", "  same: **server CPU µs per round trip**", 2, "low"),
    ("ping50", "p50_us", "  same: RTT p50 (µs)", 0, "low"),
    ("ping50", "p99_us", "  same: RTT p99 (µs)", 0, "low"),
    ("ping50", "bench_cpu_pct", "  same: load generator CPU %", 0, ""),
    ("calc50", "calcs_per_s", "npv calculate -> completed, 50 clients: calcs/s", 0, "high"),
    ("calc50", "cpu_us", "  same: **server CPU µs per calc**", 2, "low"),
    ("calc50", "p50_ms", "  same: latency p50 (ms)", 2, "low"),
    ("calc50", "p99_ms", "  same: latency p99 (ms)", 2, "low"),
    ("calc50", "wrong_values", "  same: wrong npv values", 0, ""),
    ("calc50", "errors", "  same: error replies", 0, ""),
    ("calc50", "bench_cpu_pct", "  same: load generator CPU %", 0, ""),
    ("conns5k", "rss_per_conn_kib", "memory per idle subscribed connection, 5,000 (KiB)", 2, "low"),
    ("conns5k", "rss_ready_mib", "  same: server RSS with 5,000 connections (MiB)", 1, "low"),
]


def table(results):
    out = ["| figure | rtd | FastAPI | Node ws | rtd/FastAPI | rtd/Node | uWS (peers README) |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for case, key, label, digits, better in ROWS:
        vals = {s: metric(load(results, f"{s}.{case}.json"), key) for s, _ in SERVERS}
        ratios = [ratio(vals["rtd"], vals[p]) if better else "" for p in PEERS]
        uws = UWS.get((case, key))
        out.append(f"| {label} | {fmt(vals['rtd'], digits)} | {fmt(vals['fastapi'], digits)} | "
                   f"{fmt(vals['node'], digits)} | {ratios[0]} | {ratios[1]} | "
                   f"{fmt(uws, digits) if uws is not None else ''} |")
    return "\n".join(out)


def rtd_only(results):
    lines = ["| figure | value |", "|---|---:|"]
    c15 = load(results, "rtd.conns15k.json")
    f19 = load(results, "rtd.fanout19k.json")
    if c15:
        lines.append(f"| 15,000 idle subscribed connections: ready | {fmt(c15.get('ready'))} |")
        lines.append(f"| same: server RSS per connection (KiB) | "
                     f"{fmt(metric(c15, 'rss_per_conn_kib'), 2)} |")
        lines.append(f"| same: server RSS (MiB) | {fmt(metric(c15, 'rss_ready_mib'), 1)} |")
    if f19:
        srv = f19.get("server", {})
        dur = f19.get("duration_s") or 0
        lines += [
            f"| 19,000 subscribers at 1 tick/s ({f19.get('procs')} load processes, "
            f"{f19.get('source_addrs')} source addresses): ready | {fmt(f19.get('ready'))} |",
            f"| same: ticks received per connection in {fmt(dur, 1)} s, min / max | "
            f"{fmt(f19.get('per_conn_min'))} / {fmt(f19.get('per_conn_max'))} |",
            f"| same: last seq seen at the end, lowest / highest connection | "
            f"{fmt(f19.get('last_seq_min'))} / {fmt(f19.get('last_seq_max'))} |",
            f"| same: seq gaps / disconnects / connect failures | {fmt(f19.get('seq_gaps'))} / "
            f"{fmt(f19.get('disconnects'))} / {fmt(f19.get('connect_failures'))} |",
            f"| same: latency p50 / p99 / max (ms) | {fmt(metric(f19, 'p50_ms'), 1)} / "
            f"{fmt(metric(f19, 'p99_ms'), 1)} / {fmt(metric(f19, 'max_ms'), 1)} |",
            f"| same: server RSS (MiB), per connection (KiB) | {fmt(srv.get('rss_ready_kib', 0) / 1024, 1)}"
            f" / {fmt(srv.get('rss_per_conn_kib'), 2)} |",
            f"| same: server CPU µs per delivery | {fmt(metric(f19, 'cpu_us'), 2)} |",
            f"| same: time to connect and subscribe all (s) | {fmt(f19.get('setup_s'), 1)} |",
        ]
    return "\n".join(lines)


def monte_carlo(results):
    rtd = load(results, "mc.rtd.json")
    npy = load(results, "mc.numpy.json")
    if not rtd or not npy:
        return "Monte Carlo: no results."
    lines = ["| implementation | best of 5 (ms) | mean npv | std npv | p5 | p95 | P(loss) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in (rtd, npy):
        lines.append(f"| {r['impl']} | {fmt(r['best_ms'], 1)} | {fmt(r['mean_npv'])} | "
                     f"{fmt(r['std_npv'])} | {fmt(r['p5'])} | {fmt(r['p95'])} | "
                     f"{fmt(r['probability_of_loss'], 4)} |")
    lines.append("")
    lines.append(f"rtd is **{npy['best_ms'] / rtd['best_ms']:.1f}x** faster than vectorised numpy "
                 f"(1,000,000 iterations x 10 cash flows, one core; target: at least 3x). The two "
                 f"use different normal generators, so their statistics agree only to sampling "
                 f"error.")
    return "\n".join(lines)


def simplify_symbol(sym):
    """Shortens C++ template noise: keeps names, drops template arguments."""
    if sym.startswith("_Z"):  # perf left it mangled (cut off): demangle what c++filt can
        sym = sh("c++filt " + re.sub(r"[^A-Za-z0-9_]", "", sym)).strip() or sym
    prev = None
    while prev != sym:
        prev = sym
        sym = re.sub(r"<[^<>]*>", "", sym)
    sym = re.sub(r"\(anonymous namespace\)::", "", sym)
    return sym[:140]


def profile(results, case, title):
    path = os.path.join(results, f"profile.{case}.txt")
    dso_path = os.path.join(results, f"profile.{case}.dso.txt")
    if not os.path.exists(path):
        return f"{title}: no profile."
    rows = []
    with open(path) as f:
        for line in f:
            m = re.match(r"\s*([\d.]+)%\s+\[(.)\]\s+(.*)", line.rstrip())
            if m:
                sym = re.sub(r"\s+-\s+-\s*$", "", m.group(3)).strip()
                where = "kernel" if m.group(2) == "k" else "user"
                rows.append((m.group(1), where, simplify_symbol(sym)))
    dsos = []
    if os.path.exists(dso_path):
        with open(dso_path) as f:
            for line in f:
                m = re.match(r"\s*([\d.]+)%\s+(\S+)", line)
                if m:
                    dsos.append(f"{m.group(2)} {m.group(1)}%")
    run = load(results, f"profile.{case}.json")
    head = f"**{title}**"
    if run:
        head += (f" (rtd-bench {run['mode']} {run['connections']}: "
                 f"{fmt(run.get('deliveries_per_s') or run.get('calcs_per_s'))}/s under perf)")
    out = [head, "", "Self time by binary: " + ", ".join(dsos[:6]), "",
           "| self % | where | symbol |", "|---:|---|---|"]
    for pct, where, sym in rows[:15]:
        out.append(f"| {pct} | {where} | `{sym}` |")
    return "\n".join(out)


def machine():
    lscpu = sh("lscpu")
    model = re.search(r"Model name:\s*(.*)", lscpu)
    cpus = re.search(r"^CPU\(s\):\s*(\d+)", lscpu, re.M)
    mem = re.search(r"MemTotal:\s*(\d+)", sh("cat /proc/meminfo"))
    return (f"{model.group(1).strip() if model else '?'}, {cpus.group(1) if cpus else '?'} "
            f"cores, {int(mem.group(1)) / 1048576:.0f} GiB, Linux {platform.release()}, "
            f"{sh('gcc --version').splitlines()[0] if sh('gcc --version') else ''}")


def targets(results):
    def m(server, case, key):
        return metric(load(results, f"{server}.{case}.json"), key)

    def best(case, key, high=True):
        vals = [v for v in (m(p, case, key) for p in PEERS) if v is not None]
        return (max(vals) if high else min(vals)) if vals else None

    rows = []

    def row(name, target, value, ok):
        rows.append(f"| {name} | {target} | {value} | {'met' if ok else '**not met**'} |")

    cpu = m("rtd", "fanout1k", "cpu_us")
    node_cpu = m("node", "fanout1k", "cpu_us")
    if cpu is not None:
        row("fan-out 1k: server CPU per delivery vs uWS (5.1 µs, peers README)", "<= 1.1x",
            f"{cpu / 5.1:.2f}x ({cpu:.2f} µs)", cpu / 5.1 <= 1.1)
    if cpu is not None and node_cpu:
        row("same vs Node ws (this run)", ">= 3x cheaper", f"{node_cpu / cpu:.2f}x cheaper",
            node_cpu / cpu >= 3)
    p99 = m("rtd", "fanout1k", "p99_ms")
    bp99 = best("fanout1k", "p99_ms", high=False)
    if p99 is not None and bp99 is not None:
        row("fan-out 1k: p99 latency vs best peer", "<= best peer",
            f"{p99:.1f} ms vs {bp99:.1f} ms", p99 <= bp99)
    d5 = m("rtd", "fanout5k", "deliveries_per_s")
    bd5 = best("fanout5k", "deliveries_per_s")
    gaps = m("rtd", "fanout5k", "seq_gaps")
    if d5 is not None and bd5 is not None:
        row("fan-out 5k: deliveries/s vs best peer, no gaps", ">= best peer, 0 gaps",
            f"{d5:,.0f} vs {bd5:,.0f}, {gaps} gaps", d5 >= bd5 and gaps == 0)
    rss = metric(load(results, "rtd.conns15k.json"), "rss_per_conn_kib")
    if rss is not None:
        row("RSS per idle subscribed connection, 15,000", "<= 2.5 KiB", f"{rss:.2f} KiB",
            rss <= 2.5)
    pr = m("rtd", "ping50", "round_trips_per_s")
    npr = m("node", "ping50", "round_trips_per_s")
    if pr and npr:
        row("ping 50: round trips/s vs Node ws", ">= 3x", f"{pr / npr:.2f}x", pr / npr >= 3)
    cr = m("rtd", "calc50", "calcs_per_s")
    ncr = m("node", "calc50", "calcs_per_s")
    if cr is not None and ncr:
        row("npv 50: calcs/s vs Node ws", ">= 5x", f"{cr / ncr:.2f}x", cr / ncr >= 5)
    f19 = load(results, "rtd.fanout19k.json")
    if f19:
        # No gaps per connection and every connection at the same last seq (give or take the
        # tick in flight at the end): every tick reached every connection.
        spread = (f19.get("last_seq_max") or 0) - (f19.get("last_seq_min") or 0)
        every = (f19.get("ready") == 19000 and f19.get("seq_gaps") == 0
                 and f19.get("disconnects") == 0 and f19.get("connect_failures") == 0
                 and spread <= 1 and (f19.get("per_conn_min") or 0) > 0)
        row("19,000 subscribers, 1 tick/s: every tick to every connection", "all, no disconnects",
            f"{f19.get('ready')} ready, {f19.get('per_conn_min')}-{f19.get('per_conn_max')} ticks "
            f"each in the window, last seq spread {spread}, {f19.get('seq_gaps')} gaps, "
            f"{f19.get('disconnects')} disconnects", every)
    rtd = load(results, "mc.rtd.json")
    npy = load(results, "mc.numpy.json")
    if rtd and npy:
        r = npy["best_ms"] / rtd["best_ms"]
        row("Monte Carlo 1M x 10 vs numpy", ">= 3x faster", f"{r:.1f}x", r >= 3)
    return "\n".join(["| target | wanted | measured | |", "|---|---|---|---|"] + rows)


def main():
    results, output = sys.argv[1], sys.argv[2]
    with open(os.path.join(results, "commands.txt")) as f:
        commands = f.read().strip()
    loads = []
    for name in ("loadavg.start", "loadavg.end"):
        try:
            with open(os.path.join(results, name)) as f:
                loads.append(" ".join(f.read().split()[:3]))
        except OSError:
            loads.append("?")
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    doc = f"""# Benchmark results

Written by `bench/compare.sh` on {now}; do not edit by hand (run it again).

Machine: {machine()}.
Load average (1, 5, 15 min) at the start / end of the run: {loads[0]} / {loads[1]}: the two
cores are shared with other work on this machine, so single figures move by 10-30% between
runs; the ratios within one run are what counts.
Each server runs alone, pinned to CPU 0 (`taskset -c 0`); the load generator `rtd-bench` runs on
CPU 1. Every case starts a fresh server. rtd and the peers (`shared/peers`) run with the same
settings in the same run. The uWS column is copied from `shared/peers/README.md` (measured
outside this project, medians of 3 runs of 10 s): a bar, not part of this run.
**Server CPU per unit of work** is the fair figure where the load generator nears 100% of its
core (one loopback WebSocket message costs ~5 µs at each end).
rtd runs with `--rate-limit` raised (closed-loop clients exceed the default 100 messages/s);
the peers have no rate limit.

## Side by side

Ratios are rtd/peer: above 1 is better for rates, below 1 is better for CPU, latency and
memory.

{table(results)}

## rtd alone: many connections

{rtd_only(results)}

## Monte Carlo

{monte_carlo(results)}

## Targets (issue 3)

{targets(results)}

Where a target is not met, [HOT_PATH.md](HOT_PATH.md) says what bounds it and what would move
it, and records each hot-path change with its figures before and after.

## Profile

`perf record -e cpu-clock` of rtd-server (Release, no frame pointers: flat self time by symbol,
template arguments dropped) during a separate run of the same load.

{profile(results, "fanout1k", "Fan-out, 1,000 subscribers, 10 ms ticks")}

{profile(results, "calc50", "npv calculate, 50 clients closed loop")}

## Commands

```
{commands}
```
"""
    with open(output, "w") as f:
        f.write(doc)


if __name__ == "__main__":
    main()
