"""Calculations within the node's limits, over the real server: heavy jobs do not delay other
clients, SIGTERM ends running jobs within the grace, every cancel gets one reply, the node-wide
caps on calculations and their memory (Monte Carlo streams, then refuses), and the result
cache bounded in bytes with expired entries swept (docs/design.md, Calculations).

Timing bounds here are generous correctness checks (a stalled node takes seconds), not
benchmarks.
"""

import asyncio
import contextlib
import time

import test_calculations as calc
from support import connect, run

HEAVY_MC = 10_000_000  # iterations
MIB = 1 << 20


def heavy(calculation_id, flows, seed, iterations=HEAVY_MC):
    parameters = {"cash_flows": [1] * flows, "discount_rate": 0.1, "initial_investment": 1,
                  "volatility": 0.2, "iterations": iterations, "seed": seed}
    return calc.calculate("monte_carlo", parameters, calculation_id)


async def start_heavy(inbox, count, flows, prefix="h"):
    """Starts `count` heavy jobs and waits until each reports progress."""
    ids = [f"{prefix}{n}" for n in range(count)]
    for n, calculation_id in enumerate(ids):
        await inbox.client.send(heavy(calculation_id, flows, seed=n + 1))
    for calculation_id in ids:
        await inbox.update(calculation_id, status="processing", timeout=10)
    return ids


def calculations_of(status):
    return status["data"]["calculations"]


def test_sigterm_ends_running_jobs_within_the_grace(start_server):
    grace_ms = 500
    server = start_server(shutdown_grace_ms=grace_ms)

    async def scenario():
        async with connect(server) as client:
            await start_heavy(calc.Inbox(client), 4, flows=1000)
            signalled = time.monotonic()
            server.process.terminate()
            # The requester does not read meanwhile: its close waits for the grace.
            return signalled

    signalled = run(scenario())
    code = server.process.wait(grace_ms / 1000 + 5)
    took = time.monotonic() - signalled
    assert code == 0, server.output()
    assert took < grace_ms / 1000 + 1.5, f"exit took {took:.2f} s with 4 jobs running"


def test_heavy_jobs_do_not_delay_other_clients(start_server):
    server = start_server()

    async def served_within(bound):
        """A new client's welcome, a subscribe ack and a small npv, each within `bound`."""
        started = time.monotonic()
        async with connect(server) as client:
            welcomed = time.monotonic()
            await client.subscribe("notifications")
            subscribed = time.monotonic()
            inbox = calc.Inbox(client)
            await calc.completed_result(inbox, calc.calculate("npv", calc.SEED, "small"))
            done = time.monotonic()
        steps = (welcomed - started, subscribed - welcomed, done - subscribed)
        assert max(steps) < bound, f"welcome, subscribe, npv took {steps} s"

    async def scenario():
        async with connect(server) as client:
            inbox = calc.Inbox(client)
            ids = await start_heavy(inbox, 4, flows=10_000)
            for _ in range(5):
                await served_within(1.0)
            for calculation_id in ids:  # the jobs were running all along
                await client.send({"type": "cancel", "calculation_id": calculation_id})
                final = await inbox.update(calculation_id, status="cancelled")
                assert final["calculation_id"] == calculation_id, final
    run(scenario())


def test_a_second_cancel_gets_exactly_one_reply(start_server):
    server = start_server()

    async def scenario():
        async with connect(server) as client:
            inbox = calc.Inbox(client)
            await start_heavy(inbox, 1, flows=1000)
            for id_ in ("c1", "c2"):
                await client.send({"type": "cancel", "calculation_id": "h0", "id": id_})
            first = await inbox.take(lambda m: m.get("id") == "c1", "reply to c1")
            second = await inbox.take(lambda m: m.get("id") == "c2", "reply to c2")
            await inbox.barrier()
            extra = [m for m in inbox.backlog if m.get("id") in ("c1", "c2")]
            assert not extra, f"more than one reply: {extra}"
            return first, second

    first, second = run(scenario())
    assert first["type"] == "calculation_update" and first["status"] == "cancelled", first
    assert second["type"] == "error" and second["code"] == "not_found", second
    assert second["calculation_id"] == "h0", second


def test_node_wide_cap_on_calculations(start_server):
    server = start_server(max_calculations=2, system_interval_ms=100)

    async def scenario():
        async with connect(server) as a, connect(server) as b, connect(server) as watcher:
            inbox_a, inbox_b = calc.Inbox(a), calc.Inbox(b)
            await calc.completed_result(inbox_b, calc.calculate("npv", calc.SEED, "warm"))
            await start_heavy(inbox_a, 1, flows=1000, prefix="a")
            await start_heavy(inbox_b, 1, flows=1000, prefix="b")
            error = await inbox_b.reply({**heavy("b1", 1000, seed=9), "id": "over"})
            assert error["type"] == "error", error
            assert error["code"] == "too_many_calculations", error
            assert error["calculation_id"] == "b1", error
            # A cached result costs no calculation: still served at the cap.
            cached = await calc.completed_result(inbox_b, calc.calculate("npv", calc.SEED, "c"))
            assert cached["cached"] is True, cached
            await watcher.subscribe("system")
            status = await watcher.until("system_status",
                                         lambda m: calculations_of(m)["refused"] >= 1)
            assert calculations_of(status)["running"] == 2, status["data"]
            assert calculations_of(status)["refused"] == 1, status["data"]
            await a.send({"type": "cancel", "calculation_id": "a0"})
            await inbox_a.update("a0", status="cancelled")
            fresh = {**calc.SEED, "initial_investment": 1}  # not cached: takes the freed slot
            await calc.completed_result(inbox_b, calc.calculate("npv", fresh, "b2"))
            await b.send({"type": "cancel", "calculation_id": "b0"})
            await inbox_b.update("b0", status="cancelled")
    run(scenario())


def test_monte_carlo_streams_within_the_memory_budget_then_refuses(start_server):
    small = start_server(calculation_memory=4 * MIB, system_interval_ms=100)
    roomy = start_server()
    parameters = calc.mc_parameters(iterations=1_000_000, seed=77)  # 8 MB of samples

    async def scenario():
        async with connect(small) as client, connect(small) as watcher:
            inbox = calc.Inbox(client)
            await watcher.subscribe("system")
            # Each 10M-iteration job streams (about 1.5 MiB): two fit in 4 MiB, a third not.
            await start_heavy(inbox, 2, flows=100)
            error = await inbox.reply({**heavy("h2", 100, seed=3), "id": "third"})
            assert error["code"] == "too_many_calculations", error
            assert "MiB" in error["message"], error
            status = await watcher.until("system_status",
                                         lambda m: calculations_of(m)["running"] == 2)
            held = calculations_of(status)["memory_bytes"]
            assert 2 * 1.5 * MIB < held <= 4 * MIB, status["data"]
            for calculation_id in ("h0", "h1"):
                await client.send({"type": "cancel", "calculation_id": calculation_id})
                await inbox.update(calculation_id, status="cancelled")
            await watcher.until("system_status", lambda m: calculations_of(m)["memory_bytes"] == 0)
            streamed = await calc.completed_result(
                inbox, calc.calculate("monte_carlo", parameters, "streamed"), timeout=30)
        async with connect(roomy) as client:
            stored = await calc.completed_result(
                calc.Inbox(client), calc.calculate("monte_carlo", parameters, "stored"), timeout=30)
        return streamed, stored

    streamed, stored = run(scenario(), timeout=90)
    assert streamed["result"] == stored["result"], "streaming and stored results differ"
    calc.check_monte_carlo(streamed["result"], parameters)


def test_result_cache_bounded_in_bytes_and_swept(start_server):
    max_bytes = 60_000
    server = start_server(cache_max_bytes=max_bytes, cache_ttl_ms=1500, system_interval_ms=100)
    flows = [1000.0 + n for n in range(1000)]  # about 20 kB of present values per result

    def cache_of(status):
        return status["data"]["cache"]

    async def scenario():
        async with connect(server) as client, connect(server) as watcher:
            inbox = calc.Inbox(client)
            await watcher.subscribe("system")
            for n in range(5):
                await calc.completed_result(inbox, calc.calculate(
                    "npv", {"cash_flows": flows, "discount_rate": 0.01 * (n + 1),
                            "initial_investment": 1}, f"big{n}"))
            full = await watcher.until("system_status", lambda m: cache_of(m)["misses"] == 5)
            # Nobody looks anything up from here: the sweep alone empties the cache.
            swept = await watcher.until("system_status", lambda m: cache_of(m)["entries"] == 0,
                                        timeout=10)
            return cache_of(full), cache_of(swept)

    full, swept = run(scenario())
    assert 0 < full["bytes"] <= max_bytes, full
    assert full["entries"] + full["evictions"] == 5 and full["evictions"] >= 2, full
    assert swept["bytes"] == 0, swept
    assert swept["evictions"] + swept["expired"] == 5, swept
    assert swept["misses"] == 5 and swept["hits"] == 0, swept
