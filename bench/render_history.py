"""The history sections of bench/RESULTS.md: rtd's fan-out with history on and off, and the
history engine's throughput (store_bench)."""
from results_data import fmt, load, metric, read_text

RUNS = [("history_on1", "on (1)"), ("history_off1", "off (1)"), ("history_on2", "on (2)"),
        ("history_off2", "off (2)")]
FIGURES = [("p50_ms", "latency p50 (ms)", 2), ("p99_ms", "latency p99 (ms)", 2),
           ("max_ms", "latency max (ms)", 1), ("cpu_us", "server CPU µs per delivery", 2),
           ("deliveries_per_s", "deliveries/s", 0), ("seq_gaps", "seq gaps", 0)]


def history_on_off(results):
    runs = [(load(results, f"rtd.{case}.json"), title) for case, title in RUNS]
    if not any(r for r, _ in runs):
        return "Not run (BENCH_CASES without `history`)."
    out = ["rtd, 1,000 subscribers, 20 ms ticks (the load of `fanout1k_20ms`), a fresh server per "
           "run, history on disk (the default: journal, batched SQLite writes) and "
           "`--history=off`, alternating. On and off should differ by no more than two runs of "
           "the same.",
           "",
           "| figure | " + " | ".join(f"history {title}" for _, title in runs) + " |",
           "|---|" + "---:|" * len(runs)]
    for key, label, digits in FIGURES:
        out.append(f"| {label} | " + " | ".join(fmt(metric(r, key), digits) for r, _ in runs) +
                   " |")
    return "\n".join(out)


def store_throughput(results):
    text = read_text(results, "store.txt")
    if not text:
        return "Not run (BENCH_CASES without `store`)."
    return ("`store_bench` (defaults: 200,000 publications of 300 bytes, batches of 500; target: "
            "at least 50,000 publications/s written):\n\n```\n" + text + "\n```")
