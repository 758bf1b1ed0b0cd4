"""welcome on connect, ping/pong with id echo."""

import pytest

from support import CHANNELS, TIMESTAMP, connect, run


def test_welcome_fields(start_server):
    server = start_server(node_name="node-under-test")

    async def scenario():
        async with connect(server) as first, connect(server) as second:
            for welcome in (first.welcome, second.welcome):
                assert welcome["protocol"] == 1, welcome
                assert welcome["node"] == "node-under-test", welcome
                assert isinstance(welcome["session_id"], str) and welcome["session_id"], welcome
                assert set(welcome["channels"]) == CHANNELS, welcome
                assert len(welcome["channels"]) == len(CHANNELS), welcome
                assert "id" not in welcome and "seq" not in welcome, welcome
            assert first.welcome["session_id"] != second.welcome["session_id"]
    run(scenario())


@pytest.mark.parametrize("id_", ["abc", "", "x" * 64, 0, 42, -7, 2**53])
def test_ping_echoes_id(shared_server, id_):
    async def scenario():
        async with connect(shared_server) as client:
            await client.send({"type": "ping", "id": id_})
            pong = await client.expect("pong")
            assert pong["id"] == id_ and type(pong["id"]) is type(id_), pong
            assert TIMESTAMP.match(pong["timestamp"]), pong
            assert "seq" not in pong, pong
    run(scenario())


def test_pings_answered_in_order_with_their_ids(shared_server):
    async def scenario():
        async with connect(shared_server) as client:
            ids = ["a", 1, "b", 2, "c", 3]
            for id_ in ids:
                await client.send({"type": "ping", "id": id_})
            pongs = await client.publications("pong", len(ids))
            assert [p["id"] for p in pongs] == ids
    run(scenario())


def test_unknown_extra_fields_are_ignored(shared_server):
    async def scenario():
        async with connect(shared_server) as client:
            await client.send({"type": "ping", "id": "x", "extra": {"nested": [1, 2]}})
            pong = await client.expect("pong")
            assert pong["id"] == "x"
    run(scenario())
