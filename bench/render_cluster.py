"""Renders bench/CLUSTER_RESULTS.md from the JSON lines bench/cluster_bench.sh wrote.

    python3 bench/render_cluster.py build/bench-results/cluster > bench/CLUSTER_RESULTS.md
"""

import json
import pathlib
import sys

CASES = {
    "latency": "1,000 subscribers on the leader and 1,000 on a follower at once, 50 ticks/s: "
               "publish-to-receipt latency (the leader's timestamp to receipt)",
    "spread": "50 ticks/s: 3,000 subscribers on one node alone, then 1,000 on each of 3 nodes",
    "big": "1 tick/s, 18,000 subscribers on each of 3 nodes (54,000 in all, beyond one "
           "process's 20,000 files): every tick to every connection",
}


def row(r):
    lat = r["latency_us"]
    server = r["server"]
    every_tick = (r["ok"] and r["seq_gaps"] == 0
                  and r["last_seq_max"] - r["last_seq_min"] <= 1)
    return (f"| {r['label'].split('.', 1)[1]} | {r['ready']:,} | {r['deliveries_per_s']:,.0f} | "
            f"{lat['p50'] / 1000:.1f} | {lat['p99'] / 1000:.1f} | {server.get('cpu_pct', 0):.0f} | "
            f"{server.get('rss_end_kib', 0) / 1024:.1f} | "
            f"{server.get('rss_per_conn_kib', 0):.2f} | {r['seq_gaps']} | {r['disconnects']} | "
            f"{'yes' if every_tick else 'no'} |")


def main(folder):
    folder = pathlib.Path(folder)
    results = {}
    for path in sorted(folder.glob("*.json")):
        text = path.read_text().strip()
        if text:
            results[path.stem] = json.loads(text)
    print("# Cluster figures\n")
    print("Written by `bench/cluster_bench.sh` (never edited by hand): three rtd nodes on this "
          "machine (deploy/cluster.sh), rtd-bench against each; servers and load generators "
          "share its cores, so a figure says what one box does, not what three machines "
          "would. Commands: `build/bench-results/cluster/commands.txt`.\n")
    for case, what in CASES.items():
        rows = [r for label, r in results.items() if label.startswith(case + ".")]
        if not rows:
            continue
        print(f"## {case}\n\n{what}.\n")
        print("| node | subscribers | deliveries/s | p50 ms | p99 ms | server CPU % | RSS MiB | "
              "RSS KiB/conn | seq gaps | disconnects | every tick to every connection |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for r in rows:
            print(row(r))
        print()


if __name__ == "__main__":
    main(sys.argv[1])
