"""Hostile clients: the table of bad inputs (hostile_cases.py) over WebSocket, HTTP and raw
TCP against one server, while a subscriber of `notifications` and `calculations` checks that
nothing invalid reaches it; then the server still serves a fresh client, within its memory.

The tests of this module run in file order: the last two check what the table left behind.
"""

import concurrent.futures
import socket
import time
import types

import pytest

from hostile_cases import FRAMES, HTTP, MESSAGES
from support import (SANITIZED, TIMEOUT, FrameRecorder, RawWebSocket, client_frame, connect,
                     http_exchange, http_request, read_until_eof, run, upgrade_request,
                     vm_rss_kib)

HTTP_TIMEOUT_S = 1.0
# What the table may leave behind in the server's RSS (measured: about 2 MiB over 12): its
# cache and rings hold a result of 10,000 cash flows, the allocator keeps some of what it
# freed.
RSS_GROWTH_BOUND_KIB = 16 * 1024
REPLY_TYPES = {"pong", "calculation_update"}  # expectations that are not error codes


async def served_normally(server):
    """A new client gets its welcome, a pong, market data and a calculation's result."""
    async with connect(server) as client:
        await client.ping_ok()
        await client.subscribe("market_data")
        await client.expect("market_update")
        await client.send({"type": "calculate", "calculation_id": "fresh",
                           "calculation_type": "npv", "parameters": {
                               "cash_flows": [100, 200], "discount_rate": 0.1,
                               "initial_investment": 250}})
        await client.until("calculation_update", lambda u: u["status"] == "completed",
                           skip=("market_update",))


@pytest.fixture(scope="module")
def hostile(start_module_server):
    server = start_module_server(market_interval_ms=100, system_interval_ms=200,
                                 http_timeout_ms=int(HTTP_TIMEOUT_S * 1000))
    run(served_normally(server))  # the baseline includes what first use allocates
    rss_before = vm_rss_kib(server.process.pid)
    recorder = FrameRecorder(RawWebSocket(server))
    for channel in ("notifications", "calculations"):
        recorder.ws.send_frame({"type": "subscribe", "channel": channel})
        recorder.wait_for(lambda m, c=channel: m["type"] == "subscribed" and m["channel"] == c)
    yield types.SimpleNamespace(server=server, recorder=recorder, rss_before=rss_before)
    recorder.close()


def welcomed(server, early=b""):
    ws = RawWebSocket(server, early=early)
    assert ws.next_message()["type"] == "welcome"
    return ws


@pytest.mark.parametrize("name", sorted(FRAMES))
def test_framing_violation_closes_with_its_code(hostile, name):
    data, code = FRAMES[name]
    ws = welcomed(hostile.server)
    try:
        ws.send_raw(data)
        assert ws.read_until_close(TIMEOUT)[0] == code
    finally:
        ws.close()


def reply_to(ws, id_, timeout=TIMEOUT):
    """The next message carrying `id_` (a calculation's updates in between are passed)."""
    deadline = time.monotonic() + timeout
    while True:
        message = ws.next_message(max(deadline - time.monotonic(), 0))
        if message.get("id") == id_:
            return message
        assert message["type"] == "calculation_update", message


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_bad_message_gets_its_reply_and_the_connection_stays_open(hostile, name):
    message, expected = MESSAGES[name]
    ws = welcomed(hostile.server)
    try:
        if isinstance(message, dict):
            message = {**message, "id": name}
        ws.send_frame(message)
        first = ws.next_message()
        if expected in REPLY_TYPES:
            assert first["type"] == expected, first
        else:
            assert (first["type"], first.get("code")) == ("error", expected), first
            assert first.get("id") == (name if isinstance(message, dict) else None), first
        ws.send_frame({"type": "ping", "id": "still-open"})
        assert reply_to(ws, "still-open")["type"] == "pong"
    finally:
        ws.close()


@pytest.mark.parametrize("name", sorted(HTTP))
def test_http_request_gets_its_status(hostile, name):
    request, status, header = HTTP[name]
    server = hostile.server
    got, head, body = http_exchange(server, request.replace(
        b"HOST", f"{server.host}:{server.port}".encode()))
    assert got == status, head
    if header:
        assert header.lower() in head.lower().splitlines(), head
    if name == "transfer_encoding_gzip_with_body":
        assert b"HTTP/1." not in body, "the body was served as a second request"
    if name == "head_is_get_without_body":
        assert body == b"" and "content-length: 0" not in head.lower(), head


def trickle_until_closed(sock, line, interval=0.1):
    """Sends `line` every `interval` s until the server closes; returns what it sent back."""
    sock.settimeout(interval)
    try:
        while True:
            try:
                data = sock.recv(65536)
            except socket.timeout:
                sock.sendall(line)
                continue
            return data + (read_until_eof(sock) if data else b"")
    except (ConnectionResetError, BrokenPipeError):
        return b""


def test_slowloris_headers_are_cut_off_after_the_http_timeout(hostile):
    server = hostile.server
    with socket.create_connection((server.host, server.port)) as sock:
        started = time.monotonic()
        sock.sendall(f"GET /health HTTP/1.1\r\nHost: {server.host}\r\n".encode())
        sent_back = trickle_until_closed(sock, b"X-Slow: 1\r\n")
        elapsed = time.monotonic() - started
    assert sent_back == b""
    assert HTTP_TIMEOUT_S * 0.9 <= elapsed < HTTP_TIMEOUT_S + 2, elapsed


def test_half_upgrade_is_closed_after_the_http_timeout(hostile):
    server = hostile.server
    head = upgrade_request(f"{server.host}:{server.port}")
    with socket.create_connection((server.host, server.port)) as sock:
        started = time.monotonic()
        sock.sendall(head[:-4])  # every header line but the blank one that ends the head
        sent_back = read_until_eof(sock)
        elapsed = time.monotonic() - started
    assert sent_back == b""
    assert HTTP_TIMEOUT_S * 0.9 <= elapsed < HTTP_TIMEOUT_S + 2, elapsed


def test_upgrade_cut_short_by_the_client_gets_no_101(hostile):
    server = hostile.server
    head = upgrade_request(f"{server.host}:{server.port}")
    with socket.create_connection((server.host, server.port)) as sock:
        sock.sendall(head[: len(head) // 2])
        sock.shutdown(socket.SHUT_WR)
        sent_back = read_until_eof(sock, timeout=HTTP_TIMEOUT_S * 0.9)
    assert not sent_back.startswith(b"HTTP/1.1 101"), sent_back


def test_frames_pipelined_with_the_upgrade_are_served(hostile):
    early = (client_frame({"type": "ping", "id": "early"}) +
             client_frame({"type": "subscribe", "channel": "notifications", "id": "sub"}))
    ws = welcomed(hostile.server, early)
    try:
        assert reply_to(ws, "early")["type"] == "pong"
        assert reply_to(ws, "sub")["type"] == "subscribed"
    finally:
        ws.close()


def test_violation_pipelined_with_the_upgrade_closes_1002(hostile):
    # What was queued (the welcome) may be dropped: a violation closes at once.
    ws = RawWebSocket(hostile.server, early=client_frame({"type": "ping"}, masked=False))
    try:
        assert ws.read_until_close(TIMEOUT)[0] == 1002
    finally:
        ws.close()


def test_welcome_is_first_for_60_clients_that_ping_at_once(hostile):
    def client(n):
        ws = RawWebSocket(hostile.server, early=client_frame({"type": "ping", "id": n}))
        try:
            return [ws.next_message()["type"], ws.next_message()]
        finally:
            ws.close()

    with concurrent.futures.ThreadPoolExecutor(60) as pool:
        answers = list(pool.map(client, range(60)))
    for n, (first, second) in enumerate(answers):
        assert first == "welcome", (n, first)
        assert (second["type"], second.get("id")) == ("pong", n), (n, second)


def test_second_cancel_of_a_job_gets_exactly_one_reply(hostile):
    ws = welcomed(hostile.server)
    try:
        ws.send_frame({"type": "calculate", "calculation_id": "long", "id": "calc",
                       "calculation_type": "monte_carlo", "parameters": {
                           "cash_flows": [100] * 100, "discount_rate": 0.1,
                           "initial_investment": 5000, "volatility": 0.2,
                           "iterations": 10_000_000}})
        assert ws.next_message()["status"] == "started"
        # Both in one write, while the job computes: the second reaches the service before
        # the job's final update has freed the id.
        ws.send_raw(client_frame({"type": "cancel", "calculation_id": "long", "id": "cancel-1"}) +
                    client_frame({"type": "cancel", "calculation_id": "long", "id": "cancel-2"}))
        # The second is refused at once; the first is answered by the job when it stops, so
        # the two replies may come in either order.
        replies = {}
        while len(replies) < 2:
            message = ws.next_message(TIMEOUT)
            if message.get("id") in ("cancel-1", "cancel-2"):
                assert message["id"] not in replies, (replies, message)
                replies[message["id"]] = message
            else:
                assert message["type"] == "calculation_update", message
        first, second = replies["cancel-1"], replies["cancel-2"]
        assert first["type"] == "calculation_update" and first["status"] == "cancelled", first
        assert (second["type"], second.get("code")) == ("error", "not_found"), second
        # Nothing more for either: the next request's reply comes next.
        ws.send_frame({"type": "cancel", "calculation_id": "gone", "id": "cancel-3"})
        assert reply_to(ws, "cancel-3")["code"] == "not_found"
    finally:
        ws.close()


def test_subscriber_only_ever_receives_valid_utf8(hostile):
    """After the table: every frame the subscriber got is strict UTF-8 (a client would fail
    its connection with 1007 otherwise), including non-ASCII text that really reached it."""
    server, recorder = hostile.server, hostile.recorder
    text = "caf\u00e9 \u2713 \U0001f600"
    status, _, _ = http_request(server, "POST", "/api/notifications", body={"message": text})
    assert status == 202
    recorder.wait_for(lambda m: m.get("message") == text)
    ws = welcomed(server)
    try:
        ws.send_frame({"type": "calculate", "calculation_id": text, "calculation_type": "npv",
                       "parameters": {"cash_flows": [1], "discount_rate": 0,
                                      "initial_investment": 1}})
        recorder.wait_for(lambda m: m.get("calculation_id") == text)
    finally:
        ws.close()
    for payload in recorder.texts():
        payload.decode("utf-8", "strict")
    assert recorder.ended is None, recorder.ended


def test_afterwards_a_fresh_client_is_served_and_memory_is_back(hostile):
    run(served_normally(hostile.server))
    growth = vm_rss_kib(hostile.server.process.pid) - hostile.rss_before
    if not SANITIZED:  # ASan keeps freed memory in quarantine
        assert growth <= RSS_GROWTH_BOUND_KIB, f"RSS grew by {growth} KiB"
