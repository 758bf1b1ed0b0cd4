"""Alerts against the real server: a session's alert fires when the simulator (fixed seed,
fast interval) crosses its threshold, once while the market stays beyond it, again only after
it came back; the server's configured alerts are published for everyone. And a live NPV's
`completed` follows the market_update whose rate it used, naming it by market_seq."""

from support import connect, run

UPDATES = 150


def holds(condition, value, threshold):
    return value > threshold if condition == "above" else value < threshold


def test_an_alert_fires_once_per_crossing(start_server):
    server = start_server(market_interval_ms=20)

    async def scenario():
        async with connect(server) as client:
            await client.subscribe("market_data", conflate=False)
            latest = await client.expect("market_update")
            threshold = latest["data"]["discount_rate"] + 0.0005
            await client.send({"type": "set_alert", "id": "set", "alert_id": "up",
                               "metric": "discount_rate", "condition": "above",
                               "threshold": threshold})
            updates, alerts = [latest], []
            while len(updates) < UPDATES:
                message = await client.recv()
                if message["type"] == "alert_set":
                    assert (message["id"], message["alert_id"], message["metric"],
                            message["condition"], message["threshold"]) == \
                        ("set", "up", "discount_rate", "above", threshold), message
                elif message["type"] == "market_update":
                    updates.append(message)
                elif message["type"] == "notification" and message.get("alert_id") == "up":
                    # Sent after the update it fired on.
                    assert message["value"] == updates[-1]["data"]["discount_rate"], message
                    alerts.append((updates[-1]["seq"], message))
            return threshold, updates, alerts
    threshold, updates, alerts = run(scenario())
    assert alerts, "the rate never crossed its threshold in the test's window"
    for _, alert in alerts:
        assert (alert["notification_type"], alert["level"]) == ("alert", "warning")
        assert (alert["metric"], alert["condition"], alert["threshold"]) == \
            ("discount_rate", "above", threshold)
        assert "seq" not in alert and "channel" not in alert  # to this session, not published
    by_seq = {u["seq"]: holds("above", u["data"]["discount_rate"], threshold) for u in updates}
    fired = [seq for seq, _ in alerts]
    # Each alert on an update where the rate is above, the one before (when there is one and
    # it was evaluated) not above; and every such crossing after the first alert fired.
    for seq in fired:
        assert by_seq[seq]
    for earlier, later in zip(fired, fired[1:]):
        assert not all(by_seq[s] for s in range(earlier, later + 1)), (earlier, later)
    crossings = [s for s in by_seq if s > fired[0] and by_seq[s] and not by_seq.get(s - 1, True)]
    assert crossings == [s for s in fired if s > fired[0]]


def test_the_servers_alerts_are_published_on_notifications(start_server, tmp_path):
    config = tmp_path / "alerts.ini"
    config.write_text('[global]\nalerts = "always discount_rate above 0,never tech_index below 0"\n')
    server = start_server(market_interval_ms=50, config_file=config)

    async def scenario():
        async with connect(server) as a, connect(server) as b:
            for client in (a, b):
                await client.subscribe("notifications", since_seq=0)
            return [await client.until("notification", lambda n: n.get("alert_id") == "always")
                    for client in (a, b)]
    first, second = run(scenario())
    assert first == second  # one publication, for everyone
    assert first["channel"] == "notifications" and first["seq"] >= 1
    assert first["value"] > 0 and first["threshold"] == 0


def test_a_live_npv_follows_its_market_update(start_server):
    server = start_server(market_interval_ms=30)

    async def scenario():
        async with connect(server) as client:
            await client.subscribe("market_data", conflate=False)
            await client.send({"type": "calculate", "calculation_id": "live", "live": True,
                               "calculation_type": "npv",
                               "parameters": {"cash_flows": [100, 110, 120],
                                              "discount_rate": "market",
                                              "initial_investment": 250}})
            markets, completed = {}, []
            while len(completed) < 10:
                message = await client.recv()
                if message["type"] == "market_update":
                    markets[message["seq"]] = message
                elif message.get("status") == "completed":
                    completed.append((dict(markets), message))
            await client.request({"type": "cancel", "calculation_id": "live", "id": "stop"},
                                 skip=("market_update", "calculation_update"))
            return completed
    for seen_before, update in run(scenario()):
        assert update["live"] is True
        market = seen_before.get(update["market_seq"])
        assert market is not None, ("completed before its market_update", update["market_seq"])
        assert update["result"]["discount_rate"] == market["data"]["discount_rate"]
