"""Limits: message size (1009), slow readers (1013), rate limiting."""

import asyncio
import json
import time

from support import RawWebSocket, connect, run


def ping_of_size(size, id_):
    """A ping whose JSON text is exactly `size` bytes."""
    empty = json.dumps({"type": "ping", "id": id_, "pad": ""})
    frame = json.dumps({"type": "ping", "id": id_, "pad": "x" * (size - len(empty))})
    assert len(frame.encode()) == size
    return frame


def test_max_message_size_is_served_one_more_byte_closes_1009(server):
    async def scenario():
        async with connect(server) as client:
            await client.send(ping_of_size(65536, "largest"))
            pong = await client.expect("pong")
            assert pong["id"] == "largest"
            await client.send(ping_of_size(65537, "too-large"))
            assert await client.close_code() == 1009
        # The server itself is fine.
        async with connect(server) as client:
            await client.ping_ok()
    run(scenario())


def test_configured_max_message_size(start_server):
    server = start_server(max_message_size=1000)

    async def scenario():
        async with connect(server) as client:
            await client.send(ping_of_size(1000, "fits"))
            assert (await client.expect("pong"))["id"] == "fits"
            await client.send(ping_of_size(1001, "too-large"))
            assert await client.close_code() == 1009
    run(scenario())


def test_slow_strict_reader_is_closed_1013_and_others_are_unaffected(start_server):
    """A subscriber that opts out of conflation and falls behind is closed with 1013."""
    server = start_server(market_interval_ms=1, system_interval_ms=100,
                          outbound_queue_frames=64, outbound_queue_bytes=65536)

    def active(status):
        return status["data"]["connections"]["active"]

    async def scenario():
        async with connect(server) as healthy:
            await healthy.subscribe("system")
            await healthy.until("system_status", lambda s: active(s) == 1)
            await healthy.subscribe("market_data", conflate=False)

            slow = RawWebSocket(server, rcvbuf=4096)
            try:
                slow.send_frame({"type": "subscribe", "channel": "market_data",
                                 "conflate": False})
                # The slow client never reads; the healthy one reads everything meanwhile,
                # until the server has dropped the slow one.
                seqs = []
                deadline = time.monotonic() + 40
                saw_two = False
                while True:
                    assert time.monotonic() < deadline, "slow reader never disconnected"
                    message = await healthy.recv()
                    if message["type"] == "market_update":
                        seqs.append(message["seq"])
                    elif message["type"] == "system_status":
                        saw_two = saw_two or active(message) == 2
                        if saw_two and active(message) == 1:
                            break
                    else:
                        raise AssertionError(f"unexpected {message}")
                assert saw_two, "the slow client was never counted as connected"
                # The healthy client missed nothing while the slow one was being dropped.
                assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), "gap in market_data"
                assert len(seqs) > 100, len(seqs)

                # What the slow client finds once it reads: frames, then close 1013 or EOF.
                code, frames, ending = await asyncio.get_running_loop().run_in_executor(
                    None, slow.read_until_close, 10)
                assert code == 1013 or (code is None and ending in ("eof", "reset")), (
                    code, frames, ending)
            finally:
                slow.close()
            await healthy.ping_ok()
            more = await healthy.publications("market_update", 10, skip=("system_status",))
            assert more[0]["seq"] > seqs[-1]
    run(scenario())


def test_rate_limit_drops_excess_and_connection_stays_open(server):
    async def scenario():
        async with connect(server) as client:
            for n in range(400):
                await client.send({"type": "ping", "id": n})
            # Replies come in order, so once a later ping is answered every reply to the
            # burst has arrived. That ping may be dropped too: resend until it gets through.
            pongs, limited = [], []
            deadline = time.monotonic() + 10
            sentinels = 0
            while True:
                await client.send({"type": "ping", "id": f"sentinel-{sentinels}"})
                sentinels += 1
                replies = await client.collect(0.3)
                pongs += [m["id"] for m in replies if m["type"] == "pong"]
                limited += [m for m in replies if m["type"] != "pong"]
                if any(isinstance(id_, str) for id_ in pongs):
                    break
                assert time.monotonic() < deadline, "no ping answered after the burst"
            for message in limited:
                assert message["type"] == "error" and message["code"] == "rate_limited", message
            assert limited, "no rate_limited error after 400 pings in a burst"
            assert len(limited) <= 2, f"more than one rate_limited per second: {limited}"
            burst = [id_ for id_ in pongs if isinstance(id_, int)]
            assert 200 <= len(burst) < 400, len(burst)
            assert burst == sorted(burst), "pongs out of order"
            await client.ping_ok("after-the-burst")
    run(scenario())
