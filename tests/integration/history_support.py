"""Helpers of the history tests: `history` over WebSocket and HTTP, publications to wait for."""

import json
import time
import urllib.parse

from support import TIMEOUT, http_request


async def ws_history(client, channel, id_="h", **params):
    """The `history` reply to a message with `params` (since_seq, from, to, limit)."""
    reply = await client.request({"type": "history", "channel": channel, "id": id_, **params})
    assert reply["type"] == "history", reply
    return reply


def http_history(server, channel, expect=200, **params):
    """GET /api/history/{channel} with `params` as its query; the decoded body."""
    query = urllib.parse.urlencode(params)
    status, _, body = http_request(server, "GET", f"/api/history/{channel}?{query}")
    assert status == expect, (status, body)
    return json.loads(body)


def newest_seq(server, channel):
    """The seq of the channel's newest publication, 0 when there is none."""
    items = http_history(server, channel, limit=1)["items"]
    return items[-1]["seq"] if items else 0


def wait_for_seq(server, channel, seq, timeout=TIMEOUT):
    """Waits until the channel has published `seq` (polling its history)."""
    deadline = time.monotonic() + timeout
    while (newest := newest_seq(server, channel)) < seq:
        assert time.monotonic() < deadline, f"{channel} at seq {newest}, not {seq}"
        time.sleep(0.05)


def post_notifications(server, messages):
    for message in messages:
        status, _, body = http_request(server, "POST", "/api/notifications",
                                       {"message": message, "level": "info"})
        assert status == 202, (status, body)
