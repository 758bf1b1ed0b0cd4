"""The history sections of bench/RESULTS.md: rtd's fan-out with history on and off, and the
history engine's throughput (store_bench)."""
from results_data import fmt, load, metric, read_text

ROUNDS = [("on1", "on (1)"), ("off1", "off (1)"), ("on2", "on (2)"), ("off2", "off (2)")]
FANOUT_FIGURES = [("p50_ms", "latency p50 (ms)", 2), ("p99_ms", "latency p99 (ms)", 2),
                  ("max_ms", "latency max (ms)", 1), ("cpu_us", "server CPU µs per delivery", 2),
                  ("deliveries_per_s", "deliveries/s", 0), ("seq_gaps", "seq gaps", 0)]
CALC_FIGURES = [("calcs_per_s", "calcs/s", 0), ("cpu_us", "server CPU µs per calc", 2),
                ("p50_ms", "latency p50 (ms)", 2), ("p99_ms", "latency p99 (ms)", 2),
                ("wrong_values", "wrong npv values", 0)]


def on_off_table(results, prefix, figures):
    runs = [(load(results, f"rtd.{prefix}{suffix}.json"), title) for suffix, title in ROUNDS]
    if not any(r for r, _ in runs):
        return None
    out = ["| figure | " + " | ".join(f"history {title}" for _, title in runs) + " |",
           "|---|" + "---:|" * len(runs)]
    for key, label, digits in figures:
        out.append(f"| {label} | " + " | ".join(fmt(metric(r, key), digits) for r, _ in runs) +
                   " |")
    return "\n".join(out)


def history_on_off(results):
    fanout = on_off_table(results, "history_", FANOUT_FIGURES)
    if not fanout:
        return "Not run (BENCH_CASES without `history`)."
    calc = on_off_table(results, "history_calc_", CALC_FIGURES)
    return "\n".join([
        "rtd, a fresh server per run, history on disk (the default: journal, batched SQLite "
        "writes) and `--history=off`, alternating. 1,000 subscribers, 20 ms ticks (the load of "
        "`fanout1k_20ms`): on and off should differ by no more than two runs of the same.",
        "",
        fanout,
        "",
        "npv, 50 clients closed loop (the load of `calc50`): each calculation is two "
        "publications of `calculations` (`started`, `completed`), each journalled and written "
        "to SQLite with its retention, and a result for the persisted cache.",
        "",
        calc or "Not run."])


def store_throughput(results):
    text = read_text(results, "store.txt")
    if not text:
        return "Not run (BENCH_CASES without `store`)."
    return ("`store_bench` (defaults: 200,000 publications of 300 bytes, batches of 500; target: "
            "at least 50,000 publications/s written):\n\n```\n" + text + "\n```")
