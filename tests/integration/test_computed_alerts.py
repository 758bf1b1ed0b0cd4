"""Alerts on computed values against the real server (fixed seed, fast market): a z-score
alert fires once per crossing, right after the analytics_update it fired on; an alert on a
live NPV fires once each time the NPV goes below its threshold and ends with the calculation;
bad metrics are refused. And the calculation service's series survives a restart: a forecast
right after it uses the market steps stored before."""

import math

from history_support import wait_for_seq
from support import connect, run

UPDATES = 150
FLOWS = {"cash_flows": [100, 110, 120], "discount_rate": "market", "initial_investment": 250}


def crossings(values, holds):
    """The indexes where `holds` starts to hold (the first value counts when it holds)."""
    return [i for i, v in enumerate(values) if holds(v) and (i == 0 or not holds(values[i - 1]))]


def test_a_zscore_alert_fires_once_per_crossing(start_server):
    server = start_server(market_interval_ms=20)
    threshold = 0.8

    async def scenario():
        async with connect(server) as client:
            await client.subscribe("analytics", conflate=False)
            latest = await client.expect("analytics_update")
            await client.send({"type": "set_alert", "id": "z", "alert_id": "z",
                               "metric": "analytics.discount_rate.zscore",
                               "condition": "above", "threshold": threshold})
            zscores, fired = [latest["data"]["discount_rate"]["zscore"]], []
            while len(zscores) < UPDATES:
                message = await client.recv()
                if message["type"] == "analytics_update":
                    zscores.append(message["data"]["discount_rate"]["zscore"])
                elif message["type"] == "notification":
                    assert message["notification_type"] == "alert"
                    assert message["metric"] == "analytics.discount_rate.zscore"
                    # After the update it fired on: its value is that update's.
                    assert message["value"] == zscores[-1], message
                    fired.append(len(zscores) - 1)
                else:
                    assert message["type"] == "alert_set" and message["id"] == "z", message
            return zscores, fired
    zscores, fired = run(scenario())
    assert len(fired) >= 2, "the z-score never crossed twice in the test's window"
    # From the first alert on (the alert may have been set on any update before the loop saw
    # it), an alert at every crossing and nowhere else.
    expected = crossings(zscores, lambda z: z > threshold)
    assert [i for i in expected if i > fired[0]] == fired[1:]


def test_a_live_npv_alert_fires_below_its_threshold_and_ends_with_the_calculation(start_server):
    server = start_server(market_interval_ms=20)

    async def scenario():
        async with connect(server) as client:
            refused = await client.request({"type": "set_alert", "id": "early", "alert_id": "n",
                                            "metric": "calculation:live.npv",
                                            "condition": "below", "threshold": 0})
            assert refused["code"] == "invalid_parameters", refused
            assert "not a live calculation of this session" in refused["message"]
            await client.send({"type": "calculate", "calculation_id": "live", "live": True,
                               "calculation_type": "npv", "parameters": FLOWS})
            first = await client.until("calculation_update",
                                       lambda u: u["status"] == "completed")
            threshold = first["result"]["npv"]
            await client.send({"type": "set_alert", "id": "bad", "alert_id": "n",
                               "metric": "calculation:live.irr", "condition": "below",
                               "threshold": 0})
            await client.send({"type": "set_alert", "id": "set", "alert_id": "n",
                               "metric": "calculation:live.npv", "condition": "below",
                               "threshold": threshold})
            npvs, alerts, replies = [threshold], [], {}
            while len(npvs) < 80:
                message = await client.recv()
                if message.get("status") == "completed":
                    npvs.append(message["result"]["npv"])
                elif message["type"] == "notification":
                    alerts.append(message)
                elif "id" in message:
                    replies[message["id"]] = message
            bad = replies["bad"]
            assert bad["code"] == "invalid_parameters" and "no number 'irr'" in bad["message"]
            assert replies["set"]["type"] == "alert_set"
            await client.send({"type": "cancel", "calculation_id": "live", "id": "stop"})
            ended = await client.until("alert_removed", lambda m: True,
                                       skip=("calculation_update", "notification"))
            return threshold, npvs, alerts, ended
    threshold, npvs, alerts, ended = run(scenario())
    assert alerts, "the live npv never went below its first value"
    for alert in alerts:
        assert alert["metric"] == "calculation:live.npv" and alert["threshold"] == threshold
        # The result's own encoding has more digits than the notification's.
        assert alert["value"] < threshold
        assert any(math.isclose(alert["value"], n, rel_tol=1e-12) for n in npvs), alert
    # Once per crossing: between two alerts the npv was not below the threshold at least once.
    below = [n < threshold for n in npvs]
    assert len(alerts) <= len(crossings(below, bool)) + 1
    assert ended == {"type": "alert_removed", "alert_id": "n", "reason": "calculation_ended"}


def test_a_forecast_after_a_restart_uses_the_stored_steps(servers, tmp_path):
    data_dir = tmp_path / "series"
    first = servers.start(data_dir=data_dir, market_interval_ms=20)
    wait_for_seq(first, "market_data", 50)
    assert first.stop() == 0
    servers.servers.remove(first)
    # A long interval: the restarted simulator publishes once, at start.
    second = servers.start(data_dir=data_dir, market_interval_ms=100000)

    async def scenario():
        async with connect(second) as client:
            await client.subscribe("market_data")
            await client.expect("market_update")
            await client.send({"type": "calculate", "calculation_id": "f", "id": "f",
                               "calculation_type": "forecast",
                               "parameters": {"indicator": "tech_index", "horizon": 3,
                                              "window": 50}})
            return await client.until("calculation_update",
                                      lambda u: u["status"] in ("completed", "failed"))
    done = run(scenario())
    assert done["status"] == "completed", done
    assert len(done["result"]["points"]) == 3
