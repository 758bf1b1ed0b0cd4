#!/usr/bin/python3
"""Monte Carlo npv in vectorised numpy: the same computation as mc_bench (1,000,000
iterations x 10 cash flows, best of 5), for the ratio in RESULTS.md. Prints one JSON line.

    /usr/bin/python3 bench/mc_numpy.py [--iterations N] [--repeat R]
"""
import argparse
import json
import time

import numpy as np


def monte_carlo(cf, initial, rate, vol, iters, seed):
    rng = np.random.default_rng(seed)
    n = len(cf)
    d = (1.0 + rate) ** -np.arange(1, n + 1)
    z = rng.standard_normal((iters, n))
    npv = -initial + (cf * d * (1.0 + vol * z)).sum(axis=1)
    mean = npv.mean()
    std = npv.std(ddof=1)
    p5, p50, p95 = np.percentile(npv, [5, 50, 95])
    counts, edges = np.histogram(npv, bins=20)
    return {
        "mean_npv": float(mean),
        "std_npv": float(std),
        "p5": float(p5),
        "p50": float(p50),
        "p95": float(p95),
        "probability_of_loss": float((npv < 0).mean()),
        "var_95": float(mean - p5),
        "histogram_counts": int(counts.sum()),
        "histogram_edges": len(edges),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iterations", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    cf = np.array([100000.0 + 10000.0 * t for t in range(10)])
    best = float("inf")
    result = None
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = monte_carlo(cf, 1_000_000.0, 0.10, 0.20, args.iterations, 42)
        best = min(best, time.perf_counter() - start)
    out = {"impl": "numpy " + np.__version__, "iterations": args.iterations, "cash_flows": 10,
           "repeat": args.repeat, "best_ms": round(best * 1e3, 3)}
    out.update({k: round(v, 6) if isinstance(v, float) else v for k, v in result.items()})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
