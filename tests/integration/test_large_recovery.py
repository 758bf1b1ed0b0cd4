"""Recoveries far larger than a client's outbound bound (1,024 frames, 1 MiB) complete for a
client that reads: 5,000 publications, and 10 MB of calculation results, replayed from the
ring and the history store while publications continue."""

import json

from history_support import newest_seq, wait_for_seq
from support import assert_consecutive, connect, run


def test_a_recovery_of_5000_publications_completes(start_server):
    server = start_server(market_interval_ms=1)

    async def scenario():
        async with connect(server) as client:
            await client.subscribe("market_data", conflate=False)
            last = await client.expect("market_update")
        wait_for_seq(server, "market_data", last["seq"] + 5000, timeout=30)
        async with connect(server) as client:
            ack = await client.subscribe("market_data", since_seq=last["seq"],
                                         epoch=last["epoch"], conflate=False)
            assert ack["recovered"] is True, ack
            assert ack["seq"] >= last["seq"] + 5000
            # The replay, then live publications (still one a millisecond) with no seam.
            updates = await client.publications("market_update", ack["seq"] - last["seq"] + 500,
                                                timeout=60)
            await client.ping_ok()
        return last, updates
    last, updates = run(scenario(), timeout=120)
    assert updates[0]["seq"] == last["seq"] + 1
    assert_consecutive(updates)


def npv_request(n):
    # 10,000 cash flows of 1: the result's present_values make a frame of about 200 KB.
    return {"type": "calculate", "calculation_id": f"big-{n}", "calculation_type": "npv",
            "parameters": {"cash_flows": [1] * 10000, "discount_rate": 0.05,
                           "initial_investment": 1}}


def test_a_recovery_of_10_megabytes_completes(start_server):
    server = start_server()

    async def scenario():
        async with connect(server) as watcher:
            ack = await watcher.subscribe("calculations")
            since, epoch = ack["seq"], ack["epoch"]
        # 60 identical requests: the first computed, the rest from the cache; each publishes
        # its started and its completed (the requester reads its own copies as they come).
        async with connect(server) as requester:
            for n in range(60):
                await requester.send(npv_request(n))
                await requester.until("calculation_update",
                                      lambda u, n=n: u["calculation_id"] == f"big-{n}"
                                      and u["status"] == "completed", timeout=10)
        published = newest_seq(server, "calculations") - since
        async with connect(server, max_size=None) as watcher:
            ack = await watcher.subscribe("calculations", since_seq=since, epoch=epoch)
            assert ack["recovered"] is True, ack
            total = 0
            replayed = []
            while len(replayed) < published:
                raw = await watcher.ws.recv()
                total += len(raw)
                message = json.loads(raw)
                assert message["type"] == "calculation_update", message
                replayed.append(message)
            await watcher.ping_ok()
        return since, published, total, replayed
    since, published, total, replayed = run(scenario(), timeout=120)
    assert published == 120
    assert total > 10_000_000, total
    assert replayed[0]["seq"] == since + 1
    assert_consecutive(replayed)
    completed = [u for u in replayed if u["status"] == "completed"]
    assert len(completed) == 60 and all(len(u["result"]["present_values"]) == 10000
                                        for u in completed)
