"""The Redis bridge (--redis) against a real redis-server from Debian: ingest from
rtd:publish:notifications, egress to rtd:<channel> byte for byte, limits, and Redis going away
and coming back while WebSocket clients keep their updates.

Each test starts its own redis-server on a free loopback port with its own config (no
persistence) and stops it by PID. History (`history` requests) is not on this branch yet, so
the ingest test checks seq and delivery, not history.
"""

import asyncio
import json
import os
import re
import shutil
import signal
import socket

import pytest
import redis
import redis.asyncio as aioredis

from support import PYTHON, REPO_ROOT, LoggedProcess, START_TIMEOUT, TIMEOUT, \
    assert_consecutive, check_publication, connect, http_request, run, server_args

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
UP = r"redis_up: redis {} connection"
FAST = {"market_interval_ms": 100, "system_interval_ms": 200}
PUBLISH_EXAMPLE = os.path.join(REPO_ROOT, "examples", "redis_publish.py")
LISTEN_EXAMPLE = os.path.join(REPO_ROOT, "examples", "redis_listen.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """redis-server on 127.0.0.1:`port` with a config of its own: no RDB, no AOF."""

    def __init__(self, directory, port=None, password=None):
        self.directory = directory
        self.port = port or free_port()
        self.password = password
        self.config = directory / f"redis-{self.port}.conf"
        lines = [f"port {self.port}", "bind 127.0.0.1", 'save ""', "appendonly no",
                 f"dir {directory}", "daemonize no", "enable-debug-command local"]
        if password:
            lines.append(f"requirepass {password}")
        self.config.write_text("\n".join(lines) + "\n")
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}"

    def start(self):
        self.process = LoggedProcess([REDIS_SERVER, str(self.config)])
        self.process.wait_for_line("Ready to accept connections", START_TIMEOUT)
        return self

    def kill(self):
        """SIGKILL, by PID: no goodbye to its clients."""
        self.process.stop(signal.SIGKILL)

    def stop(self):
        if self.process and self.process.process.poll() is None:
            self.process.stop(signal.SIGTERM)

    def client(self):
        return redis.Redis(host="127.0.0.1", port=self.port, password=self.password,
                           socket_timeout=TIMEOUT)

    def async_client(self):
        return aioredis.Redis(host="127.0.0.1", port=self.port, password=self.password,
                              socket_timeout=TIMEOUT)


@pytest.fixture
def redis_server(tmp_path):
    """Factory: redis_server(port=None, password=None, start=True) -> RedisServer; every one
    started is stopped at teardown."""
    if not os.access(REDIS_SERVER, os.X_OK):
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    made = []

    def make(port=None, password=None, start=True):
        server = RedisServer(tmp_path, port, password)
        made.append(server)
        return server.start() if start else server

    yield make
    for server in made:
        server.stop()


def start_bridged(start_server, redis, wait=True, **flags):
    """rtd with --redis; with `wait`, returned once both connections are ready."""
    flags = {**FAST, "redis": redis.url, "redis_backoff_max_ms": 200, **flags}
    server = start_server(**flags)
    if wait:
        wait_until_bridged(server)
    return server


def wait_until_bridged(server, start=0):
    """Waits for both connections' redis_up after log line `start`; returns the line after."""
    last = start
    for role in ("publish", "subscribe"):
        index, _ = server.wait_for_line(UP.format(role), TIMEOUT, start)
        last = max(last, index + 1)
    return last


def metrics(server):
    """GET /metrics as {"name{labels}": value}."""
    status, _, body = http_request(server, "GET", "/metrics")
    assert status == 200, body
    values = {}
    for line in body.decode().splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            values[name] = float(value)
    return values


async def metric_reaches(server, name, predicate, timeout=TIMEOUT):
    """Polls /metrics until `name` satisfies `predicate`; returns its value."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = metrics(server).get(name)
        if value is not None and predicate(value):
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{name} is {value} after {timeout} s")
        await asyncio.sleep(0.05)


async def listen(client, channel):
    """A subscribed pubsub of `client` on `channel`, confirmed."""
    pubsub = client.pubsub()
    await pubsub.subscribe(channel)
    confirmed = await pubsub.get_message(timeout=TIMEOUT)
    assert confirmed and confirmed["type"] == "subscribe", confirmed
    return pubsub


async def next_message(pubsub, timeout=TIMEOUT):
    message = await asyncio.wait_for(
        pubsub.get_message(ignore_subscribe_messages=True, timeout=timeout), timeout + 1)
    assert message, f"nothing on {list(pubsub.channels)} within {timeout} s"
    return message["data"]


async def raw_updates(client, count, timeout=TIMEOUT):
    """The next `count` market_update frames as the client received them, by seq."""
    found = {}
    while len(found) < count:
        raw = await asyncio.wait_for(client.ws.recv(), timeout)
        message = json.loads(raw)
        if message["type"] == "market_update":
            found[message["seq"]] = raw
    return found


async def updates_until(ws, predicate, updates, timeout=TIMEOUT):
    """Reads market updates into `updates` until another message satisfies `predicate`, and
    returns that message: no update is passed over while waiting."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        remaining = deadline - asyncio.get_running_loop().time()
        message = await ws.recv(max(remaining, 0))
        if message["type"] == "market_update":
            updates.append(message)
        elif predicate(message):
            return message


def degraded(message):
    return message["type"] == "system_status" and message["data"]["status"] == "degraded"


def healthy(message):
    return message["type"] == "system_status" and message["data"]["status"] == "healthy"


def status_of(message):
    return message["data"]["status"], message["data"].get("reasons", [])


# ---------------------------------------------------------------------------------------------
# Ingest


def test_publish_to_redis_reaches_websocket_subscribers_with_the_next_seq(start_server,
                                                                          redis_server):
    store = redis_server()
    server = start_bridged(start_server, store)

    async def scenario():
        client = store.async_client()
        async with connect(server) as subscriber:
            ack = await subscriber.subscribe("notifications")
            body = {"message": "Pricing batch done", "level": "success",
                    "notification_type": "calculation"}
            receivers = await client.publish("rtd:publish:notifications", json.dumps(body))
            assert receivers == 1  # the bridge
            received = await subscriber.expect("notification")
            check_publication(received, "notifications", "notification")
            assert received["seq"] == ack["seq"] + 1, (ack, received)
            assert received["epoch"] == ack["epoch"]
            for key, value in body.items():
                assert received[key] == value, received
            # Defaults as for POST /api/notifications.
            await client.publish("rtd:publish:notifications", '{"message":"plain"}')
            plain = await subscriber.expect("notification", message="plain")
            assert (plain["seq"], plain["level"], plain["notification_type"]) == \
                (ack["seq"] + 2, "info", "info")
        assert await metric_reaches(server, "rtd_redis_ingested_total", lambda v: v == 2)
        await client.close()
    run(scenario())


def test_malformed_messages_are_dropped_and_counted(start_server, redis_server):
    store = redis_server()
    server = start_bridged(start_server, store, redis_ingest_max_bytes=1024)
    bad = [b"{not json", b'{"level":"info"}', b'{"message":""}', b'{"message":5}',
           b'{"message":"x","level":"loud"}', b'["message"]', b'{"message":"\xff\xfe"}',
           b'{"message":"\\udc00"}', b'{"message":"\\ud800"}',
           json.dumps({"message": "x" * 1100}).encode()]

    async def scenario():
        client = store.async_client()
        async with connect(server) as subscriber:
            ack = await subscriber.subscribe("notifications")
            for payload in bad:
                await client.publish("rtd:publish:notifications", payload)
            await client.publish("rtd:publish:notifications", '{"message":"the good one"}')
            # Only the good one, with the very next seq: nothing else was published.
            received = await subscriber.expect("notification")
            assert (received["message"], received["seq"]) == ("the good one", ack["seq"] + 1)
            await subscriber.ping_ok()
        await metric_reaches(server, "rtd_redis_ingested_total", lambda v: v == 1)
        assert metrics(server)["rtd_redis_invalid_total"] == len(bad)
        await client.close()
    run(scenario())
    # Logged, throttled: the first of each kind (the rest are counted).
    output = server.output()
    assert "redis_ingest_invalid: redis ingest dropped an invalid message" in output
    assert "invalid JSON" in output
    assert "1024 (--redis-ingest-max-bytes)" in output


def test_ingest_is_rate_limited(start_server, redis_server):
    store = redis_server()
    server = start_bridged(start_server, store, redis_ingest_rate=5, redis_ingest_burst=5)
    client = store.client()
    pipe = client.pipeline(transaction=False)
    for i in range(40):
        pipe.publish("rtd:publish:notifications", json.dumps({"message": f"n{i}"}))
    pipe.execute()  # well within a second: the burst and a few more at most

    async def scenario():
        await metric_reaches(server, "rtd_redis_rate_limited_total", lambda v: v >= 30)
        counts = metrics(server)
        await metric_reaches(server, "rtd_redis_ingested_total",
                             lambda v: v == 40 - counts["rtd_redis_rate_limited_total"])
    run(scenario())
    assert "--redis-ingest-rate" in server.output()


def test_ingest_beyond_the_pending_bound_is_dropped(start_server, redis_server):
    store = redis_server()
    server = start_bridged(start_server, store, redis_ingest_pending=1)
    pipe = store.client().pipeline(transaction=False)
    for i in range(40):  # arrive together: the first is still being published
        pipe.publish("rtd:publish:notifications", json.dumps({"message": f"n{i}"}))
    pipe.execute()

    async def scenario():
        await metric_reaches(server, "rtd_redis_rate_limited_total", lambda v: v > 0)
        await metric_reaches(
            server, "rtd_redis_ingested_total",
            lambda v: v + metrics(server)["rtd_redis_rate_limited_total"] == 40)
    run(scenario())
    assert "--redis-ingest-pending" in server.output()


# ---------------------------------------------------------------------------------------------
# Egress


def test_market_update_in_redis_is_byte_identical_to_the_websocket_frame(start_server,
                                                                          redis_server):
    store = redis_server()
    server = start_bridged(start_server, store, market_interval_ms=50, redis_stream_maxlen=20)

    async def scenario():
        client = store.async_client()
        pubsub = await listen(client, "rtd:market_data")
        async with connect(server) as ws:
            ack = await ws.subscribe("market_data", conflate=False)
            # Those published after the ack, so after the listener subscribed: live ones.
            from_ws = {seq: raw for seq, raw in (await raw_updates(ws, 11)).items()
                       if seq > ack["seq"]}
        from_redis = {}
        while not set(from_ws) <= set(from_redis):
            data = await next_message(pubsub)
            from_redis[json.loads(data)["seq"]] = data
        for seq, raw in from_ws.items():
            assert from_redis[seq] == raw.encode(), seq
        seqs = sorted(from_redis)
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))  # every one, in order
        # The capped stream holds the same bytes, trimmed near its length.
        entries = await client.xrange("rtd:stream:market_data")
        by_seq = {json.loads(fields[b"data"])["seq"]: fields[b"data"] for _, fields in entries}
        common = set(by_seq) & set(from_ws)
        assert common, (sorted(by_seq), sorted(from_ws))
        for seq in common:
            assert by_seq[seq] == from_ws[seq].encode()
        await pubsub.close()
        await client.close()
    run(scenario())
    assert metrics(server)['rtd_redis_published_total{target="stream"}'] > 0


def test_only_the_egress_channels_reach_redis(start_server, redis_server):
    store = redis_server()
    server = start_bridged(start_server, store, redis_egress="notifications")

    async def scenario():
        client = store.async_client()
        pubsub = await listen(client, "rtd:notifications")
        market = await listen(client, "rtd:market_data")
        status, _, raw = http_request(server, "POST", "/api/notifications",
                                      {"message": "posted over HTTP"})
        assert status == 202, raw
        data = await next_message(pubsub)
        if json.loads(data)["message"].startswith("server "):  # "started", racing the bridge
            data = await next_message(pubsub)
        assert data == raw  # what POST answered is what Redis got
        assert json.loads(data)["type"] == "notification"
        assert await market.get_message(ignore_subscribe_messages=True, timeout=0.3) is None
        for p in (pubsub, market):
            await p.close()
        await client.close()
    run(scenario())


def test_a_slow_redis_drops_egress_beyond_the_queue_and_clients_do_not_wait(start_server,
                                                                            redis_server):
    store = redis_server()
    server = start_bridged(start_server, store, market_interval_ms=20, redis_queue_frames=2)

    async def scenario():
        async with connect(server) as ws:
            await ws.subscribe("market_data", conflate=False)
            before = await ws.publications("market_update", 1)
            blocker = store.async_client()
            sleeping = asyncio.ensure_future(blocker.execute_command("DEBUG", "SLEEP", "1"))
            # Redis answers nothing for a second; clients get every update all along.
            during = await ws.publications("market_update", 30)
            assert_consecutive(before + during)
            await sleeping
            await blocker.close()
        await metric_reaches(server, 'rtd_redis_dropped_total{reason="queue_full"}',
                             lambda v: v > 0)
    run(scenario())


# ---------------------------------------------------------------------------------------------
# Failure and recovery


def test_redis_killed_and_restarted(start_server, redis_server):
    store = redis_server()
    server = start_bridged(start_server, store, market_interval_ms=50)

    async def scenario():
        async with connect(server) as ws:
            await ws.subscribe("market_data", conflate=False)
            await ws.subscribe("system")
            await ws.subscribe("notifications")
            updates = await ws.publications("market_update", 5, skip=("system_status",))
            mark = len(server.lines)
            store.kill()
            server.wait_for_line(r"redis_down: redis publish connection", TIMEOUT, mark)
            # Clients keep every update while Redis is gone, and hear why the node is degraded.
            status = await updates_until(ws, degraded, updates)
            _, reasons = status_of(status)
            assert any("redis publish connection" in r and "down" in r for r in reasons), reasons
            updates += await ws.publications("market_update", 10, skip=("system_status",))
            assert_consecutive(updates)
            assert metrics(server)['rtd_redis_connected{connection="publish"}'] == 0

            store.start()  # same port
            wait_until_bridged(server, mark)
            status = await updates_until(ws, healthy, updates)
            assert "reasons" not in status["data"]
            # Egress resumed...
            client = store.async_client()
            pubsub = await listen(client, "rtd:market_data")
            data = json.loads(await next_message(pubsub))
            assert data["type"] == "market_update"
            # ...and ingest.
            await client.publish("rtd:publish:notifications", '{"message":"back again"}')
            await updates_until(ws, lambda m: m.get("message") == "back again", updates)
            assert_consecutive(updates)
            await pubsub.close()
            await client.close()
        assert metrics(server)['rtd_redis_dropped_total{reason="disconnected"}'] > 0
    run(scenario())


def test_rtd_serves_while_redis_is_down_and_connects_when_it_comes_up(start_server,
                                                                      redis_server):
    store = redis_server(start=False)
    server = start_bridged(start_server, store, wait=False)

    async def scenario():
        async with connect(server) as ws:
            await ws.subscribe("system")
            await ws.subscribe("market_data")
            await ws.ping_ok()
            status = await ws.until(
                "system_status",
                lambda s: any("Connection refused" in r for r in status_of(s)[1]),
                skip=("market_update",))
            assert status_of(status)[0] == "degraded"
            assert any(r.startswith("redis subscribe connection to " + store.url)
                       for r in status_of(status)[1]), status
            await ws.publications("market_update", 2, skip=("system_status",))

            store.start()
            wait_until_bridged(server)
            await ws.until("system_status", lambda s: s["data"]["status"] == "healthy",
                           skip=("market_update",))
            await ws.subscribe("notifications")
            client = store.async_client()
            await client.publish("rtd:publish:notifications", '{"message":"now connected"}')
            await ws.expect("notification", message="now connected",
                            skip=("market_update", "system_status"))
            await client.close()
    run(scenario())


# ---------------------------------------------------------------------------------------------
# Examples


def test_examples_publish_a_notification_and_read_market_data(start_server, redis_server):
    store = redis_server()
    server = start_bridged(start_server, store, market_interval_ms=50, redis_stream_maxlen=100)

    async def streamed():
        await metric_reaches(server, 'rtd_redis_published_total{target="stream"}',
                             lambda v: v >= 3)
    run(streamed())
    listener = LoggedProcess([PYTHON, LISTEN_EXAMPLE, f"--redis={store.url}/0", "--count=5",
                              "--replay=3"])
    listener.wait_for_line("listening on rtd:market_data", TIMEOUT)

    async def scenario():
        async with connect(server) as ws:
            await ws.subscribe("notifications")
            publisher = LoggedProcess([PYTHON, PUBLISH_EXAMPLE, f"--redis={store.url}",
                                       "--level=warning", "hello from a script"])
            assert publisher.wait(TIMEOUT) == 0, publisher.output()
            received = await ws.expect("notification", message="hello from a script")
            assert received["level"] == "warning"
    run(scenario())
    assert listener.wait(TIMEOUT) == 0, listener.output()
    output = listener.output()
    assert len(re.findall(r"^stream #\d+ market_update discount_rate=", output, re.M)) == 3
    assert len(re.findall(r"^live #\d+ market_update discount_rate=", output, re.M)) == 5
    assert "summary: received=8 gaps=0" in output, output

    alone = redis_server()  # no rtd listens there
    publisher = LoggedProcess([PYTHON, PUBLISH_EXAMPLE, f"--redis={alone.url}", "unheard"])
    assert publisher.wait(TIMEOUT) == 1
    assert "nobody listens" in publisher.output()


# ---------------------------------------------------------------------------------------------
# Configuration


def test_password_from_a_private_file_or_the_environment(start_server, redis_server, tmp_path):
    store = redis_server(password="s3cret-pw")
    secret = tmp_path / "redis.pw"
    secret.write_text("s3cret-pw\n")
    secret.chmod(0o600)
    server = start_bridged(start_server, store, redis_password_file=secret)

    async def ingest_works():
        client = store.async_client()
        async with connect(server) as ws:
            await ws.subscribe("notifications")
            await client.publish("rtd:publish:notifications", '{"message":"auth"}')
            await ws.expect("notification", message="auth")
        await client.close()
    run(ingest_works())

    wrong = start_bridged(start_server, store, wait=False,
                          popen={"env": {**os.environ, "REDIS_PASSWORD": "wrong"}})
    wrong.wait_for_line(r"redis_down: .*AUTH refused: WRONGPASS", TIMEOUT)

    secret.chmod(0o644)
    with pytest.raises(AssertionError, match="chmod 600"):
        start_bridged(start_server, store, redis_password_file=secret)


@pytest.mark.parametrize("flags, message", [
    ({"redis": "rediss://127.0.0.1:6380"}, "no TLS"),
    ({"redis": "redis://:pw@127.0.0.1"}, "REDIS_PASSWORD"),
    ({"redis": "redis://127.0.0.1:70000"}, "invalid port"),
    ({"redis": "127.0.0.1:6379"}, "redis://host:port"),
    ({"redis_ingest": "market_data"}, "only notifications"),
    ({"redis_egress": "market_data,nope"}, "unknown channel 'nope'"),
])
def test_bad_redis_options_are_refused_at_start(tmp_path, flags, message):
    process = LoggedProcess(server_args(tmp_path, **flags))
    assert process.wait(START_TIMEOUT) == 2
    assert re.search(re.escape(message), process.output()), process.output()
