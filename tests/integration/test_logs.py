"""--log-format=json: every line the server writes is one JSON object with the documented
fields, including the listening line scripts read and the ids of the session concerned."""

import json

from support import connect, run


def test_every_line_is_json_with_the_documented_fields(start_server):
    server = start_server(log_format="json", log_level="debug", node_name="json-node",
                          max_message_size=1000)

    async def scenario():
        async with connect(server) as client:
            await client.ping_ok()
        async with connect(server) as client:
            await client.send("x" * 2000)
            assert await client.close_code() == 1009
    run(scenario())
    assert server.stop() == 0
    lines = [line for line in server.output().splitlines() if line.strip()]
    events = []
    for line in lines:
        entry = json.loads(line)
        for key in ("time", "level", "node", "event", "message"):
            assert isinstance(entry.get(key), str) and entry[key], (key, line)
        assert entry["node"] == "json-node", line
        assert entry["time"].endswith("Z"), line
        events.append(entry)
    names = [e["event"] for e in events]
    assert names[0] == "listening" and "listening on http://" in events[0]["message"]
    closed = [e for e in events if e["event"] == "session_closed"]
    assert closed and closed[0]["session"].isdigit() and "1009" in closed[0]["message"]
    assert names[-1] == "stopped"
