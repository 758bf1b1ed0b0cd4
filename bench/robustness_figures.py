#!/usr/bin/env python3
"""The figures of the hostile-input issue, measured on the real server (not timed tests):
how long SIGTERM takes with 4 heavy Monte Carlo jobs running, and how long a new client waits
for `welcome`, a subscribe ack and a small npv while 4 jobs of 10,000 flows run.

    python3 bench/robustness_figures.py [--runs 5]     # after ./deploy/build.sh
"""

import argparse
import asyncio
import pathlib
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests" / "integration"))
import test_calculations as calc  # noqa: E402
from support import ServerProcess, connect, run, server_args  # noqa: E402
from test_calculation_limits import start_heavy  # noqa: E402

GRACE_MS = 500


def start(data_dir, **flags):
    return ServerProcess(server_args(data_dir, **flags))


def shutdown_seconds(data_dir):
    """SIGTERM to exit with 4 Monte Carlo jobs of 1,000 flows and 10M iterations running."""
    server = start(data_dir, shutdown_grace_ms=GRACE_MS)

    async def scenario():
        async with connect(server) as client:
            await start_heavy(calc.Inbox(client), 4, flows=1000)
            signalled = time.monotonic()
            server.process.terminate()
            return signalled

    signalled = run(scenario())
    server.process.wait(30)
    return time.monotonic() - signalled


def served_while_busy(data_dir):
    """(welcome, subscribe, npv) seconds for new clients while 4 jobs of 10,000 flows run."""
    server = start(data_dir)
    steps = []

    async def one_client():
        started = time.monotonic()
        async with connect(server) as client:
            welcomed = time.monotonic()
            await client.subscribe("notifications")
            subscribed = time.monotonic()
            await calc.completed_result(calc.Inbox(client),
                                        calc.calculate("npv", calc.SEED, "small"))
            steps.append((welcomed - started, subscribed - welcomed,
                          time.monotonic() - subscribed))

    async def scenario():
        async with connect(server) as client:
            await start_heavy(calc.Inbox(client), 4, flows=10_000)
            for _ in range(10):
                await one_client()

    try:
        run(scenario(), timeout=120)
    finally:
        server.process.terminate()
        server.process.wait(30)
    return steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        exits = [shutdown_seconds(pathlib.Path(tmp) / f"s{n}") for n in range(runs)]
        busy = served_while_busy(pathlib.Path(tmp) / "busy")
    print(f"SIGTERM with 4 heavy jobs, grace {GRACE_MS} ms: exit after "
          f"median {statistics.median(exits):.3f} s, max {max(exits):.3f} s ({runs} runs)")
    for index, name in enumerate(("welcome", "subscribe ack", "small npv")):
        values = [s[index] * 1000 for s in busy]
        print(f"{name} while 4 jobs of 10,000 flows run: median {statistics.median(values):.1f} "
              f"ms, max {max(values):.1f} ms ({len(values)} clients)")


if __name__ == "__main__":
    main()
