"""The targets tables of RESULTS.md: each target, what it wants, the figures of this run."""
from results_data import fmt, load, metric, ratio

ISSUE3_PEERS = ["fastapi", "node"]  # issue 3's targets compare rtd with these two


def target_row(name, wanted, measured, ok):
    """ok: True, False, or None when the figures are missing."""
    verdict = "not measured" if ok is None else "met" if ok else "**not met**"
    return f"| {name} | {wanted} | {measured} | {verdict} |"


def target_table(rows):
    if not rows:
        return "Nothing to judge: the cases were not run."
    return "\n".join(["| target | wanted | measured | |", "|---|---|---|---|"] + rows)


def hot_path_targets(results):
    """The hot-path issue's targets: ratios to uWS in this run."""
    def m(server, case, key):
        return metric(load(results, f"{server}.{case}.json"), key)

    rows = []

    def row(name, wanted, measured, ok):
        rows.append(target_row(name, wanted, measured, ok))

    def unmeasured(name, wanted, case):
        row(name, wanted, f"no rtd or uws result for {case}", None)

    name, wanted = "fan-out 1,000, 50 ticks/s (unsaturated): server CPU per delivery", \
        "<= 0.9x uWS, every tick received"
    r, u = m("rtd", "fanout1k_20ms", "cpu_us"), m("uws", "fanout1k_20ms", "cpu_us")
    if r is not None and u:
        ticks = m("rtd", "fanout1k_20ms", "ticks_per_conn_s") or 0
        uticks = m("uws", "fanout1k_20ms", "ticks_per_conn_s") or 0
        row(name, wanted, f"{r / u:.2f}x ({r:.2f} vs {u:.2f} µs; ticks/s per connection "
            f"{ticks:.1f} vs {uticks:.1f} of 50)", r / u <= 0.9 and ticks >= 0.95 * 50)
    else:
        unmeasured(name, wanted, "fanout1k_20ms")

    for case, subs in (("fanout1k", "1,000"), ("fanout5k", "5,000")):
        name = f"fan-out {subs}, 100 ticks/s (saturated): p99 latency, closes, connect failures"
        wanted = "<= 2x uWS's p99, 0 closed, 0 failures"
        rr, ru = load(results, f"rtd.{case}.json"), load(results, f"uws.{case}.json")
        r, u = metric(rr, "p99_ms"), metric(ru, "p99_ms")
        if r is not None and u:
            closed, failed = rr.get("disconnects"), rr.get("connect_failures")
            # Whether the load saturates depends on the machine: the servers' CPU says.
            cpu = f"server CPU {fmt(metric(rr, 'cpu_pct'))}% vs {fmt(metric(ru, 'cpu_pct'))}%"
            row(name, wanted, f"{r / u:.2f}x ({r:,.1f} vs {u:,.1f} ms; {cpu}); {closed} closed, "
                f"{failed} connect failures, {rr.get('ready')} of {rr.get('connections')} ready",
                r / u <= 2 and closed == 0 and failed == 0
                and rr.get("ready") == rr.get("connections"))
        else:
            unmeasured(name, wanted, case)

    for case, key, label, least in (("ping50", "round_trips_per_s", "ping 50: round trips/s", 1.0),
                                    ("calc50", "calcs_per_s", "npv calculate 50: calcs/s", 0.8)):
        wanted = f">= {least:.1f}x uWS"
        r, u = m("rtd", case, key), m("uws", case, key)
        if r is not None and u:
            row(label, wanted, f"{r / u:.2f}x ({r:,.0f} vs {u:,.0f})", r / u >= least)
        else:
            unmeasured(label, wanted, case)

    name, wanted = "RSS per idle subscribed connection, 15,000", "<= 2.5 KiB"
    r, u = m("rtd", "conns15k", "rss_per_conn_kib"), m("uws", "conns15k", "rss_per_conn_kib")
    ready = m("rtd", "conns15k", "ready")
    if r is not None:
        row(name, wanted, f"{r:.2f} KiB ({ratio(r, u)} uWS's {fmt(u, 2)} KiB; {fmt(ready)} ready)",
            r <= 2.5 and ready == 15000)
    else:
        row(name, wanted, "no rtd result for conns15k", None)
    return target_table(rows)


def issue3_targets(results):
    def m(server, case, key):
        return metric(load(results, f"{server}.{case}.json"), key)

    def best(case, key, high=True):
        vals = [v for v in (m(p, case, key) for p in ISSUE3_PEERS) if v is not None]
        return (max(vals) if high else min(vals)) if vals else None

    rows = []

    def row(name, target, value, ok):
        rows.append(target_row(name, target, value, ok))

    cpu = m("rtd", "fanout1k", "cpu_us")
    node_cpu = m("node", "fanout1k", "cpu_us")
    if cpu is not None and node_cpu:
        row("fan-out 1k: server CPU per delivery vs Node ws", ">= 3x cheaper",
            f"{node_cpu / cpu:.2f}x cheaper", node_cpu / cpu >= 3)
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
    return target_table(rows)
