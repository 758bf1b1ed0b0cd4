"""Writes to clients with io_uring batching (the default) and without it (--send-batch=0, also
what a node does where io_uring is unavailable): every client gets every publication in order
and its replies in order, and a replay too long for one batched send (8 frames) arrives whole."""

import contextlib

import pytest

from support import assert_consecutive, connect, run


@pytest.mark.parametrize("batch", [256, 0])
def test_fan_out_replies_and_replay_in_order(start_server, batch):
    server = start_server(market_interval_ms=20, send_batch=batch)

    async def scenario():
        async with contextlib.AsyncExitStack() as stack:
            clients = [await stack.enter_async_context(connect(server)) for _ in range(20)]
            for client in clients:
                await client.subscribe("market_data")
            first = [await client.publications("market_update", 25) for client in clients]
            for updates in first:
                assert_consecutive(updates)
            # Several pings per read, on every connection, answered in order among the ticks.
            for client in clients:
                for i in range(10):
                    await client.send({"type": "ping", "id": i})
            for client in clients:
                pongs = await client.publications("pong", 10, skip=("market_update",))
                assert [p["id"] for p in pongs] == list(range(10))
            # A new client recovering what it missed gets a burst of frames queued at once.
            since = first[0][0]
            async with connect(server) as late:
                ack = await late.subscribe("market_data", since_seq=since["seq"],
                                           epoch=since["epoch"])
                assert ack["recovered"] is True, ack
                updates = await late.publications("market_update", ack["seq"] - since["seq"])
                assert updates[0]["seq"] == since["seq"] + 1, updates[0]
                assert len(updates) >= 24
                assert_consecutive(updates)
    run(scenario())
