#!/usr/bin/python3
"""Writes bench/RESULTS.md from the result files of one compare.sh run.

    /usr/bin/python3 bench/render_results.py RESULTS_DIR OUTPUT.md
"""
import datetime
import os
import platform
import re
import subprocess
import sys

from render_history import history_on_off, store_throughput
from render_targets import hot_path_targets, issue3_targets
from results_data import TICKS, floor_us, fmt, load, metric, ratio, read_text

SERVERS = [("rtd", "rtd"), ("uws", "uWS"), ("node", "Node ws"), ("fastapi", "FastAPI")]


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=10).stdout
    except Exception:
        return ""


def fanout_rows(case, subs, interval):
    """The rows of one fan-out case."""
    head = f"fan-out {subs} subs, {interval} ms ticks"
    sent = TICKS[case]
    return [
        (case, "deliveries_per_s", f"{head}: deliveries/s", 0, "high"),
        (case, "ticks_per_conn_s", f"  same: ticks/s received per connection ({sent} sent)", 1,
         "high"),
        (case, "cpu_pct", "  same: server CPU %", 0, "low"),
        (case, "cpu_us", "  same: **server CPU µs per delivery**", 2, "low"),
        (case, "cpu_over_floor", "  same: CPU per delivery / the floor (one send())", 2, "low"),
        (case, "p50_ms", "  same: latency p50 (ms)", 1, "low"),
        (case, "p99_ms", "  same: latency p99 (ms)", 1, "low"),
        (case, "p999_ms", "  same: latency p99.9 (ms)", 1, "low"),
        (case, "max_ms", "  same: latency max (ms)", 1, "low"),
        (case, "seq_gaps", "  same: seq gaps", 0, ""),
        (case, "disconnects", "  same: clients closed by the server", 0, ""),
        (case, "connect_failures", "  same: connect failures", 0, ""),
        (case, "setup_s", "  same: time to connect and subscribe all (s)", 1, "low"),
        (case, "bench_cpu_pct", "  same: load generator CPU %", 0, ""),
    ]


# (case, metric, label, digits, better): better is "high", "low" or "" (no ratio judgement)
ROWS = fanout_rows("fanout1k_20ms", "1,000", 20) + fanout_rows("fanout1k", "1,000", 10) + \
    fanout_rows("fanout5k", "5,000", 10) + [
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
    ("conns15k", "rss_per_conn_kib", "memory per idle subscribed connection, 15,000 (KiB)", 2,
     "low"),
    ("conns15k", "rss_ready_mib", "  same: server RSS with 15,000 connections (MiB)", 1, "low"),
    ("conns15k", "ready", "  same: connections ready", 0, ""),
]


def table(results):
    floor = floor_us(results)
    out = ["| figure | " + " | ".join(label for _, label in SERVERS) + " | rtd / uWS |",
           "|---|" + "---:|" * (len(SERVERS) + 1)]
    for case, key, label, digits, better in ROWS:
        vals = {s: metric(load(results, f"{s}.{case}.json"), key, floor) for s, _ in SERVERS}
        if all(v is None for v in vals.values()):
            continue  # a case not run (BENCH_CASES) or a figure no server reported
        cells = [fmt(vals[s], digits) for s, _ in SERVERS]
        out.append(f"| {label} | " + " | ".join(cells) +
                   f" | {ratio(vals['rtd'], vals['uws']) if better else ''} |")
    return "\n".join(out)


def floor_table(results):
    runs = [(load(results, "floor.100.json"), "100 rounds/s (as fanout1k)"),
            (load(results, "floor.0.json"), "back to back")]
    runs = [(r, title) for r, title in runs if r]
    if not runs:
        return "No floor measured (BENCH_CASES without `floor`)."
    first = runs[0][0]
    k = first["frames_per_send"]
    names = [("send", "`send()` of one frame"), ("writev", "`writev()` of header + payload"),
             ("batch", f"`send()` of {k} frames"),
             ("uring", "io_uring: a send per connection, a round per submission (rtd's `--send-batch`)")]
    out = [f"`floor_send`: the same {first['frame_bytes']}-byte frame "
           f"({first['payload_bytes']}-byte market_update, unmasked) written to "
           f"{fmt(first['connections'])} loopback TCP connections, sender pinned to CPU "
           f"{first['sender_cpu']}, a reader that discards pinned to CPU {first['sink_cpu']}. "
           f"CPU is the sending thread's (user + system); on loopback it includes the receiving "
           f"TCP stack's work, as it does for the servers.",
           "",
           "| call | " + " | ".join(f"{t}: calls/s | CPU µs per call | CPU µs per frame"
                                    for _, t in runs) + " |",
           "|---|" + "---:|---:|---:|" * len(runs)]
    for key, label in names:
        cells = []
        for r, _ in runs:
            v = r["variants"][key]
            cells += [fmt(v["sends_per_s"]), fmt(v["cpu_us_per_send"], 2),
                      fmt(v["cpu_us_per_frame"], 2)]
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    bad = [t for r, t in runs if not r.get("ok")]
    blocked = sum(r["variants"][key]["blocked"] for r, _ in runs for key, _ in names)
    out += ["", f"Every byte written arrived: {'no (' + ', '.join(bad) + ')' if bad else 'yes'}; "
            f"calls the kernel did not take whole (reader behind): {fmt(blocked)}. "
            f"**The floor** in the table above is the first figure: `send()` of one frame at 100 "
            f"rounds/s."]
    return "\n".join(out)


def rtd_only(results):
    lines = ["| figure | value |", "|---|---:|"]
    f19 = load(results, "rtd.fanout19k.json")
    if not f19:
        return "Not run (BENCH_CASES without `fanout19k`)."
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
        f"| same: server RSS (MiB), per connection (KiB) | "
        f"{fmt(srv.get('rss_ready_kib', 0) / 1024, 1)} / {fmt(srv.get('rss_per_conn_kib'), 2)} |",
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


def main():
    results, output = sys.argv[1], sys.argv[2]
    commands = read_text(results, "commands.txt") or ""
    loads = [" ".join((read_text(results, name) or "?").split()[:3])
             for name in ("loadavg.start", "loadavg.end")]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    servers = read_text(results, "servers.txt") or "?"
    uws = read_text(results, "uws_peer.version")
    uws_line = (f"The uWS peer (`shared/peers/uws_peer`, built by `bench/build_uws_peer.sh`):"
                f"\n{uws}."
                if uws else "No uWS peer in this run (`bench/build_uws_peer.sh` builds it): its "
                "column and the ratios to it are n/a.")
    doc = f"""# Benchmark results

Written by `bench/compare.sh` on {now}; do not edit by hand (run it again).

Machine: {machine()}.
Load average (1, 5, 15 min) at the start / end of the run: {loads[0]} / {loads[1]}: the two
cores are shared with other work on this machine, so single figures move by 10-30% between
runs; the ratios within one run are what counts.
Servers in this run: {servers}.
Each runs alone, pinned to CPU 0 (`taskset -c 0`); the load generator `rtd-bench` runs on CPU 1.
Every case starts a fresh server; each case runs on every server in turn before the next case.
rtd and the peers (`shared/peers`) run with the same settings in the same run.
{uws_line}
**Server CPU per unit of work** is the fair figure where the load generator nears 100% of its
core (one loopback WebSocket message costs ~5 µs at each end).
rtd runs with `--rate-limit` raised (closed-loop clients exceed the default 100 messages/s);
the peers have no rate limit.

## Targets (hot path: against uWS, this run)

{hot_path_targets(results)}

## Side by side

The last column is rtd / uWS: above 1 is better for rates, below 1 is better for CPU, latency
and memory. "CPU per delivery / the floor" divides each server's CPU per delivery by the cost of
one `send()` of the same frame (below).

{table(results)}

## The floor: what the kernel allows

{floor_table(results)}

## rtd alone: many connections

{rtd_only(results)}

## History on and off

{history_on_off(results)}

## The history store

{store_throughput(results)}

## Monte Carlo

{monte_carlo(results)}

## Earlier targets (issue 3: against Node ws and FastAPI)

{issue3_targets(results)}

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
