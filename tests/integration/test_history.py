"""History on disk: kept across a kill -9, seq and epoch continued, recovered across the
restart, the market resumed; `history` and GET /api/history answer the same, from/to
inclusive, has_more exact."""

from history_support import http_history, post_notifications, wait_for_seq, ws_history
from support import assert_consecutive, connect, run

INITIAL = {"discount_rate": 0.08, "inflation_rate": 0.025, "market_growth": 0.06,
           "tech_index": 100.0, "ai_adoption_rate": 0.35}  # the model's means: a fresh start
STEP = {"discount_rate": 0.0015, "inflation_rate": 0.0008, "market_growth": 0.003,
        "tech_index": 1.0, "ai_adoption_rate": 0.004}  # about one step's volatility


def test_kill_9_mid_stream_keeps_history_and_continues_the_sequence(servers, tmp_path):
    data_dir = tmp_path / "kept"
    first = servers.start(data_dir=data_dir, market_interval_ms=20)

    async def before_crash():
        async with connect(first) as client:
            await client.subscribe("market_data", conflate=False)
            return await client.publications("market_update", 60)
    seen = run(before_crash())
    servers.kill(first)  # mid-stream: a publication every 20 ms, a batch written every 20 ms

    second = servers.start(data_dir=data_dir, market_interval_ms=20)
    last = seen[-1]

    async def after_restart():
        async with connect(second) as client:
            # Everything the client saw is kept, exactly as it was sent.
            kept = await ws_history(client, "market_data", since_seq=seen[0]["seq"] - 1,
                                    limit=len(seen))
            assert kept["items"] == seen
            ack = await client.subscribe("market_data", since_seq=last["seq"],
                                         epoch=last["epoch"], conflate=False)
            assert ack["recovered"] is True and ack["epoch"] == last["epoch"], ack
            return await client.publications("market_update", 20)
    following = run(after_restart())
    # No gap, no duplicate, one epoch across the crash.
    assert following[0]["seq"] == last["seq"] + 1, (last["seq"], following[0])
    assert_consecutive([last] + following)


def test_the_market_resumes_from_its_last_values(servers, tmp_path):
    data_dir = tmp_path / "market"
    first = servers.start(data_dir=data_dir, market_interval_ms=20)
    wait_for_seq(first, "market_data", 40)
    assert first.stop() == 0
    servers.servers.remove(first)
    # A long interval: the restarted simulator publishes once, at start.
    second = servers.start(data_dir=data_dir, market_interval_ms=100000)
    before, after = http_history(second, "market_data", limit=2)["items"]
    assert after["seq"] == before["seq"] + 1 and after["epoch"] == before["epoch"]
    assert after["data"] != INITIAL
    for field, step in STEP.items():
        assert abs(after["data"][field] - before["data"][field]) < 6 * step, (field, before, after)


def test_history_and_the_http_route_give_the_same_items(server):
    post_notifications(server, [f"note-{n}" for n in range(12)])

    async def scenario():
        async with connect(server) as client:
            everything = await ws_history(client, "notifications", limit=1000)
            items = everything["items"]
            assert everything["has_more"] is False
            notes = [i for i in items if i["message"].startswith("note-")]
            assert [n["message"] for n in notes] == [f"note-{n}" for n in range(12)]
            assert_consecutive(items)
            first, count = items[0]["seq"], len(items)
            queries = [
                {},
                {"limit": 3},
                {"since_seq": first - 1, "limit": count},       # all of them: no more
                {"since_seq": first - 1, "limit": count - 1},   # one left over
                {"since_seq": first + 4, "limit": 5},
                {"since_seq": items[-1]["seq"]},                # nothing after the newest
                {"from": items[3]["timestamp"], "to": items[7]["timestamp"]},
                {"from": items[3]["timestamp"], "to": items[7]["timestamp"], "limit": 2},
                {"from": items[3]["timestamp"], "to": items[7]["timestamp"],
                 "since_seq": items[4]["seq"], "limit": 2},
                {"from": items[-2]["timestamp"]},
                {"to": items[1]["timestamp"]},
            ]
            for n, query in enumerate(queries):
                reply = await ws_history(client, "notifications", id_=f"q{n}", **query)
                assert reply["id"] == f"q{n}"
                over_http = http_history(server, "notifications", **query)
                assert "id" not in over_http
                assert over_http == {k: v for k, v in reply.items() if k != "id"}, query
            return items
    items = run(scenario())

    def page(**query):
        reply = http_history(server, "notifications", **query)
        return [i["seq"] for i in reply["items"]], reply["has_more"]

    seqs = [i["seq"] for i in items]
    first = seqs[0]
    assert page(since_seq=first - 1, limit=len(seqs)) == (seqs, False)
    assert page(since_seq=first - 1, limit=len(seqs) - 1) == (seqs[:-1], True)
    assert page(limit=3) == (seqs[-3:], True)
    # from and to are inclusive: both ends are in.
    assert page(**{"from": items[3]["timestamp"], "to": items[7]["timestamp"]}) == \
        (seqs[3:8], False)
    assert page(**{"from": items[3]["timestamp"], "to": items[7]["timestamp"], "limit": 2}) == \
        (seqs[6:8], True)
    assert page(since_seq=seqs[-1]) == ([], False)


def test_history_requests_are_checked(server):
    async def scenario():
        async with connect(server) as client:
            for params, code in [({"limit": 0}, "invalid_parameters"),
                                 ({"limit": 1001}, "invalid_parameters"),
                                 ({"from": "yesterday"}, "invalid_parameters"),
                                 ({"from": "2024-01-02T00:00:00Z", "to": "2024-01-01T00:00:00Z"},
                                  "invalid_parameters")]:
                reply = await client.request({"type": "history", "channel": "market_data",
                                              "id": "bad", **params})
                assert reply["type"] == "error" and reply["code"] == code, (params, reply)
                assert http_history(server, "market_data", expect=400, **params)["code"] == code
    run(scenario())
    assert http_history(server, "gold", expect=404)["code"] == "unknown_channel"
