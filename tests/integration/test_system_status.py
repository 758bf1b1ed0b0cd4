"""system channel: system_status contents, counters following clients as they come and go."""

import contextlib

from support import CHANNELS, assert_consecutive, check_publication, connect, run


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def test_system_status_fields(start_server):
    server = start_server(system_interval_ms=100, node_name="sys-node")

    async def scenario():
        async with connect(server) as client:
            ack = await client.subscribe("system")
            statuses = await client.publications("system_status", 4)
            return ack, statuses

    ack, statuses = run(scenario())
    assert_consecutive(statuses)
    assert statuses[0]["seq"] == ack["seq"] or statuses[0]["seq"] == ack["seq"] + 1
    for status in statuses:
        check_publication(status, "system", "system_status")
        data = status["data"]
        assert isinstance(data["status"], str) and data["status"], data
        assert data["node"] == "sys-node", data
        assert is_number(data["uptime_s"]) and data["uptime_s"] >= 0, data
        connections = data["connections"]
        assert isinstance(connections["active"], int) and isinstance(connections["total"], int)
        assert 0 <= connections["active"] <= connections["total"], data
        assert set(data["subscribers"]) >= CHANNELS, data
        assert all(isinstance(n, int) and n >= 0 for n in data["subscribers"].values()), data
        assert is_number(data["messages"]["in_per_s"]) and data["messages"]["in_per_s"] >= 0
        assert is_number(data["messages"]["out_per_s"]) and data["messages"]["out_per_s"] >= 0
        assert isinstance(data["memory"]["rss_bytes"], int) and data["memory"]["rss_bytes"] > 0
    uptimes = [s["data"]["uptime_s"] for s in statuses]
    assert uptimes == sorted(uptimes) and uptimes[-1] > uptimes[0], uptimes
    # The watcher itself is connected and subscribed to system.
    last = statuses[-1]["data"]
    assert last["connections"]["active"] >= 1 and last["subscribers"]["system"] >= 1, last


def test_counters_follow_clients(start_server):
    server = start_server(system_interval_ms=100, market_interval_ms=100)

    def counts(status):
        data = status["data"]
        return (data["connections"]["active"], data["connections"]["total"],
                data["subscribers"]["market_data"], data["subscribers"]["system"])

    async def scenario():
        async with connect(server) as watcher:
            await watcher.subscribe("system")
            base = await watcher.until(
                "system_status", lambda s: counts(s)[0] == 1 and counts(s)[2] == 0)
            _, base_total, _, _ = counts(base)
            assert counts(base)[3] == 1, base

            async with contextlib.AsyncExitStack() as stack:
                clients = [await stack.enter_async_context(connect(server)) for _ in range(3)]
                for client in clients[:2]:
                    await client.subscribe("market_data")
                status = await watcher.until(
                    "system_status", lambda s: counts(s)[0] == 4 and counts(s)[2] == 2)
                assert counts(status)[1] >= base_total + 3, status
                # Unsubscribing is reflected too.
                await clients[0].send({"type": "unsubscribe", "channel": "market_data"})
                await clients[0].expect("unsubscribed", skip=("market_update",))
                await watcher.until("system_status", lambda s: counts(s)[2] == 1)

            status = await watcher.until(
                "system_status", lambda s: counts(s)[0] == 1 and counts(s)[2] == 0)
            assert counts(status)[1] >= base_total + 3, status

            # Messages per second move when traffic flows.
            async with connect(server) as busy:
                for n in range(50):
                    await busy.send({"type": "ping", "id": n})
                await busy.publications("pong", 50)
                await watcher.until("system_status",
                                    lambda s: s["data"]["messages"]["in_per_s"] > 0
                                    and s["data"]["messages"]["out_per_s"] > 0)
    run(scenario())


def test_limits_count_what_they_closed(start_server):
    server = start_server(system_interval_ms=100, max_message_size=100)

    async def scenario():
        async with connect(server) as offender:
            await offender.send("x" * 200)
            assert await offender.close_code() == 1009
        async with connect(server) as client:
            await client.subscribe("system")
            status = await client.until(
                "system_status", lambda s: s["data"]["limits"]["closed"]["1009"] >= 1)
            limits = status["data"]["limits"]
            assert set(limits) == {"rate_limited", "closed", "refused"}, limits
            assert limits["refused"]["connection_limit"] == 0, limits
    run(scenario())
