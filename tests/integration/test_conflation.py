"""Saturation without collapse: a slow reader of a latest-value channel is conflated (it gets
the newest value and a `skipped` count, and stays connected), while the node keeps accepting
new clients during a delivery storm."""

import asyncio
import os
import subprocess
import time

import pytest

from support import SANITIZED, SERVER_BINARY, RawWebSocket, connect, run


def check_skips(updates):
    """Seqs only go up; a jump is announced by `skipped`, exactly."""
    for before, after in zip(updates, updates[1:]):
        jump = after["seq"] - before["seq"]
        assert jump >= 1, (before["seq"], after["seq"])
        assert after.get("skipped", 0) == jump - 1, (before["seq"], after)


def test_a_slow_reader_gets_the_newest_value_and_skipped_counts(start_server):
    # Small kernel buffers on both ends, so that the queue in the server fills soon.
    server = start_server(market_interval_ms=1, outbound_queue_frames=64,
                          outbound_queue_bytes=65536, socket_send_buffer=4096)
    slow = RawWebSocket(server, rcvbuf=4096)
    try:
        slow.send_frame({"type": "subscribe", "channel": "market_data"})

        async def current_seq():
            async with connect(server) as probe:
                ack = await probe.subscribe("market_data")
                return ack["seq"]

        # The slow client reads nothing while far more than its queue bound is published.
        before = run(current_seq())
        deadline = time.monotonic() + 10
        while run(current_seq()) < before + 2000:
            assert time.monotonic() < deadline, "the market does not move"
        messages = slow.read_json(lambda m: m.get("type") == "market_update" and
                                  m["seq"] >= before + 2000, timeout=10)
        updates = [m for m in messages if m["type"] == "market_update"]
        assert len(updates) < 2000, "nothing was conflated"
        assert any(u.get("skipped", 0) > 0 for u in updates), "no skipped count"
        check_skips(updates)
        # Still served: it reads on and gets live values.
        more = slow.read_json(lambda m: m.get("type") == "market_update", timeout=5)
        assert more[-1]["seq"] > updates[-1]["seq"]
    finally:
        slow.close()


def test_replaced_values_never_cross_other_channels_frames(start_server):
    """A conflating subscriber of market_data and system keeps both in order per channel."""
    server = start_server(market_interval_ms=1, system_interval_ms=5, socket_send_buffer=4096)
    slow = RawWebSocket(server, rcvbuf=4096)
    try:
        slow.send_frame({"type": "subscribe", "channel": "market_data"})
        slow.send_frame({"type": "subscribe", "channel": "system"})
        messages = slow.read_json(lambda m: m.get("type") == "system_status" and m["seq"] > 200,
                                  timeout=20)
        for type_ in ("market_update", "system_status"):
            check_skips([m for m in messages if m.get("type") == type_])
    finally:
        slow.close()


@pytest.mark.skipif(SANITIZED, reason="a latency bound, and rtd-bench is not in the sanitizer "
                                      "build")
def test_new_clients_are_welcomed_during_a_delivery_storm(start_server):
    """1,000 subscribers at 100 ticks/s; connecting is not starved by delivery."""
    bench = os.path.join(os.path.dirname(SERVER_BINARY), "rtd-bench")
    server = start_server(market_interval_ms=10, max_connections=2000)
    storm = subprocess.Popen([bench, "fanout", "--url", server.ws_url, "--connections", "1000",
                              "--duration", "8", "--warmup", "0"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        async def storm_running():
            async with connect(server) as probe:
                await probe.subscribe("system")
                deadline = time.monotonic() + 30
                while True:
                    status = await probe.expect("system_status", timeout=10)
                    if status["data"]["subscribers"]["market_data"] >= 1000:
                        return
                    assert time.monotonic() < deadline, status["data"]["subscribers"]

        async def welcome_times():
            times = []
            for _ in range(20):
                start = time.monotonic()
                async with connect(server) as client:
                    times.append(time.monotonic() - start)
                    await client.ping_ok()
            return times

        run(storm_running())
        times = run(welcome_times())
        # A correctness bound, not a benchmark: starved accepts took seconds before.
        assert max(times) < 1.0, times
    finally:
        storm.terminate()
        storm.wait(10)
