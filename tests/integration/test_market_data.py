"""market_data: cadence, seq, data fields, latest value on subscribe, unsubscribe."""

import time
from datetime import datetime

from support import (MARKET_FIELDS, assert_consecutive, check_publication, connect, run)

PLAUSIBLE = {  # wide bounds: what a market indicator could never leave
    "discount_rate": (-0.5, 1.0),
    "inflation_rate": (-0.5, 1.0),
    "market_growth": (-1.0, 1.0),
    "tech_index": (0.0, 1e6),
    "ai_adoption_rate": (0.0, 1.0),
}


def parse_timestamp(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")


def test_updates_at_configured_interval_with_consecutive_seqs(start_server):
    interval_ms = 50
    server = start_server(market_interval_ms=interval_ms)

    async def scenario():
        async with connect(server) as client:
            ack = await client.subscribe("market_data", id="sub")
            assert ack["id"] == "sub", ack
            first = await client.expect("market_update")
            started = time.monotonic()
            updates = [first] + await client.publications("market_update", 20)
            elapsed = time.monotonic() - started
            return ack, updates, elapsed

    ack, updates, elapsed = run(scenario())
    for update in updates:
        check_publication(update, "market_data", "market_update")
        assert update["epoch"] == ack["epoch"]
        assert set(update["data"]) == MARKET_FIELDS, update
        for field, (low, high) in PLAUSIBLE.items():
            value = update["data"][field]
            assert isinstance(value, (int, float)) and not isinstance(value, bool), update
            assert low <= value <= high, (field, value)
    assert_consecutive(updates)
    assert updates[0]["seq"] >= ack["seq"], (ack, updates[0])
    # 20 intervals of 50 ms: 1 s; generous bounds for a loaded machine.
    assert 0.5 <= elapsed <= 3.0, elapsed
    stamps = [parse_timestamp(u["timestamp"]) for u in updates]
    assert stamps == sorted(stamps)
    mean_ms = (stamps[-1] - stamps[0]).total_seconds() * 1000 / (len(stamps) - 1)
    assert interval_ms * 0.5 <= mean_ms <= interval_ms * 2, mean_ms


def test_values_move_between_updates(server):
    async def scenario():
        async with connect(server) as client:
            await client.subscribe("market_data")
            return await client.publications("market_update", 5)

    updates = run(scenario())
    assert len({tuple(sorted(u["data"].items())) for u in updates}) > 1, updates


def test_latest_value_follows_subscribed_at_once(start_server):
    # A long interval, so an update arriving at once can only be the latest value.
    server = start_server(market_interval_ms=1500)

    async def scenario():
        async with connect(server) as watcher, connect(server) as late:
            await watcher.subscribe("market_data")
            seen = await watcher.until("market_update", lambda m: m["seq"] >= 1, timeout=5)
            started = time.monotonic()
            ack = await late.subscribe("market_data")
            latest = await late.expect("market_update", timeout=1.0)
            assert time.monotonic() - started < 1.0
            assert ack["seq"] == seen["seq"], (ack, seen)
            assert latest["seq"] == ack["seq"], (ack, latest)
            assert latest["epoch"] == ack["epoch"] == seen["epoch"]
            assert latest["data"] == seen["data"]
            assert latest["timestamp"] == seen["timestamp"]
            following = await late.expect("market_update", timeout=5)
            assert following["seq"] == ack["seq"] + 1, following
    run(scenario())


def test_unsubscribe_stops_updates(start_server):
    server = start_server(market_interval_ms=50)

    async def scenario():
        async with connect(server) as client:
            await client.subscribe("market_data")
            await client.publications("market_update", 2)
            await client.send({"type": "unsubscribe", "channel": "market_data", "id": 7})
            ack = await client.expect("unsubscribed", skip=("market_update",))
            assert ack["channel"] == "market_data" and ack["id"] == 7, ack
            # Ten intervals with nothing: the subscription is gone.
            late = await client.collect(0.5)
            assert [m for m in late if m["type"] == "market_update"] == [], late
            await client.ping_ok()
            # And subscribing again works.
            await client.subscribe("market_data")
            await client.expect("market_update")
    run(scenario())


def test_two_subscribers_see_the_same_publications(server):
    async def scenario():
        async with connect(server) as a, connect(server) as b:
            await a.subscribe("market_data")
            await b.subscribe("market_data")
            target = (await a.expect("market_update"))["seq"] + 3
            in_a = await a.until("market_update", lambda m: m["seq"] == target)
            in_b = await b.until("market_update", lambda m: m["seq"] == target)
            assert in_a == in_b
    run(scenario())
