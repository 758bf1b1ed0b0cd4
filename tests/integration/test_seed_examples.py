"""The seed's example messages from docs/protocol.md work exactly as written."""

import json

from support import check_publication, connect, run

SUBSCRIBE = '{"type": "subscribe", "channel": "market_data"}'
CALCULATE = """{"type": "calculate", "calculation_id": "unique_id", "calculation_type": "npv",
 "parameters": {"cash_flows": [100000, 120000, 140000], "discount_rate": 0.10,
                "initial_investment": 300000}}"""
PING = '{"type": "ping"}'


def test_subscribe_market_data_as_written(server):
    async def scenario():
        async with connect(server) as client:
            await client.send(SUBSCRIBE)
            ack = await client.expect("subscribed")
            assert ack["channel"] == "market_data"
            assert isinstance(ack["seq"], int) and isinstance(ack["epoch"], str)
            assert "recovered" not in ack and "id" not in ack, ack
            update = await client.expect("market_update")
            check_publication(update, "market_data", "market_update")
    run(scenario())


def test_ping_as_written(server):
    async def scenario():
        async with connect(server) as client:
            await client.send(PING)
            pong = await client.expect("pong")
            assert "id" not in pong, pong
            assert isinstance(pong["timestamp"], str)
    run(scenario())


def test_calculate_as_written_gets_a_reply_and_connection_stays_usable(server):
    async def scenario():
        async with connect(server) as client:
            json.loads(CALCULATE)  # the literal really is the documented JSON
            await client.send(CALCULATE)
            await client.expect("calculation_update", status="started",
                                calculation_id="unique_id")
            done = await client.expect("calculation_update", skip=("calculation_update",),
                                       status="completed", calculation_id="unique_id")
            # -300000 + 100000/1.1 + 120000/1.1**2 + 140000/1.1**3
            assert abs(done["result"]["npv"] - (-4733.283245679981)) < 1e-6, done
            await client.ping_ok()
    run(scenario())
