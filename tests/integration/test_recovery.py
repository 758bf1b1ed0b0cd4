"""Recovery: subscribe with since_seq + epoch after a reconnect."""

from support import assert_consecutive, connect, http_request, run

MARKET = {"market_interval_ms": 80}


async def last_seen(server, count=3):
    """Connects, subscribes to market_data, reads `count` updates, disconnects: last update."""
    async with connect(server) as client:
        await client.subscribe("market_data")
        updates = await client.publications("market_update", count)
    return updates[-1]


def test_recovery_replays_missed_updates_in_order(start_server):
    server = start_server(**MARKET)

    async def scenario():
        async with connect(server) as observer:
            await observer.subscribe("market_data")
            last = await last_seen(server)
            missed_until = last["seq"] + 4
            # While disconnected, the observer sees the publications we miss.
            seen = {}
            while max(seen, default=0) < missed_until:
                update = await observer.expect("market_update")
                seen[update["seq"]] = update

            async with connect(server) as client:
                ack = await client.subscribe("market_data", since_seq=last["seq"],
                                             epoch=last["epoch"], id="recover")
                assert ack["recovered"] is True, ack
                assert ack["epoch"] == last["epoch"], ack
                assert ack["id"] == "recover", ack
                assert ack["seq"] >= missed_until, ack
                # Every missed publication in order, then live ones: no gap, no duplicate.
                updates = await client.publications("market_update",
                                                    ack["seq"] - last["seq"] + 3)
            assert updates[0]["seq"] == last["seq"] + 1, updates[0]
            assert_consecutive(updates)
            assert updates[0]["epoch"] == last["epoch"]
            for update in updates:
                if update["seq"] in seen:
                    assert update == seen[update["seq"]], (update, seen[update["seq"]])
    run(scenario())


def test_recovery_with_nothing_missed(start_server):
    server = start_server(market_interval_ms=1000)

    async def scenario():
        async with connect(server) as client:
            await client.subscribe("market_data")
            last = await client.until("market_update", lambda m: m["seq"] >= 1)
            await client.send({"type": "unsubscribe", "channel": "market_data"})
            await client.expect("unsubscribed", skip=("market_update",))
            ack = await client.subscribe("market_data", since_seq=last["seq"],
                                         epoch=last["epoch"])
            assert ack["recovered"] is True and ack["epoch"] == last["epoch"], ack
            # No latest value repeated: the next update is the following publication.
            update = await client.expect("market_update", timeout=3)
            assert update["seq"] == last["seq"] + 1, (last, ack, update)
    run(scenario())


def test_recovery_with_wrong_epoch_starts_afresh(start_server):
    server = start_server(**MARKET)

    async def scenario():
        last = await last_seen(server)
        async with connect(server) as client:
            ack = await client.subscribe("market_data", since_seq=last["seq"],
                                         epoch="not-the-epoch")
            assert ack["recovered"] is False, ack
            assert ack["epoch"] == last["epoch"], ack
            latest = await client.expect("market_update", timeout=1)
            assert latest["seq"] == ack["seq"], (ack, latest)
            following = await client.expect("market_update")
            assert following["seq"] == ack["seq"] + 1, following
    run(scenario())


def test_recovery_from_a_seq_ahead_of_the_channel_starts_afresh(start_server):
    server = start_server(**MARKET)

    async def scenario():
        last = await last_seen(server)
        async with connect(server) as client:
            ack = await client.subscribe("market_data", since_seq=last["seq"] + 1000,
                                         epoch=last["epoch"])
            assert ack["recovered"] is False and ack["epoch"] == last["epoch"], ack
            assert ack["seq"] < last["seq"] + 1000, ack
            latest = await client.expect("market_update", timeout=1)
            assert latest["seq"] == ack["seq"], (ack, latest)
    run(scenario())


def test_recovery_beyond_history_starts_afresh(start_server):
    # Without history on disk, the ring is all there is.
    server = start_server(market_interval_ms=30, history_size=4, history="off")

    async def scenario():
        async with connect(server) as observer:
            await observer.subscribe("market_data")
            last = await last_seen(server)
            await observer.until("market_update", lambda m: m["seq"] >= last["seq"] + 12)
            async with connect(server) as client:
                ack = await client.subscribe("market_data", since_seq=last["seq"],
                                             epoch=last["epoch"])
                assert ack["recovered"] is False, ack
                assert ack["epoch"] == last["epoch"], ack
                assert ack["seq"] >= last["seq"] + 12, ack
                latest = await client.expect("market_update", timeout=1)
                assert latest["seq"] == ack["seq"], (ack, latest)
                updates = await client.publications("market_update", 3)
                assert_consecutive([latest] + updates)
    run(scenario())


def test_notifications_recovered_after_reconnect(start_server):
    # Notifications are published only on events, so what was missed is exactly known.
    server = start_server(**MARKET)

    def post(message):
        status, _, _ = http_request(server, "POST", "/api/notifications",
                                    {"message": message, "level": "info",
                                     "notification_type": "info"})
        assert status == 202

    async def scenario():
        async with connect(server) as client:
            await client.subscribe("notifications")
            post("before")
            last = await client.until("notification", lambda n: n["message"] == "before")
        for n in range(3):
            post(f"missed-{n}")
        async with connect(server) as client:
            ack = await client.subscribe("notifications", since_seq=last["seq"],
                                         epoch=last["epoch"])
            assert ack["recovered"] is True and ack["epoch"] == last["epoch"], ack
            assert ack["seq"] >= last["seq"] + 3, ack
            replayed = await client.publications("notification", ack["seq"] - last["seq"])
            assert replayed[0]["seq"] == last["seq"] + 1
            assert_consecutive(replayed)
            messages = [n["message"] for n in replayed]
            missed = [m for m in messages if m.startswith("missed-")]
            assert missed == ["missed-0", "missed-1", "missed-2"], messages
            post("live")
            live = await client.until("notification", lambda n: n["message"] == "live")
            assert live["seq"] > ack["seq"]
            await client.ping_ok()
    run(scenario())
