"""Helpers for the integration tests: the server process, WebSocket and HTTP clients.

Every wait has a deadline; nothing sleeps to synchronise where a condition can be awaited.
"""

import asyncio
import base64
import contextlib
import http.client
import json
import os
import re
import signal
import socket
import struct
import subprocess
import threading
import time

import websockets

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SERVER_BINARY = os.environ.get("RTD_SERVER", os.path.join(REPO_ROOT, "build", "rtd-server"))
PYTHON = "/usr/bin/python3"
# The server is the ASan + UBSan build (tests/sanitize/run.sh): slower, and its sanitizer
# runtime needs memory and file descriptors of its own.
SANITIZED = os.environ.get("RTD_SANITIZE") == "1"

TIMEOUT = 5.0  # default deadline for one expected event
START_TIMEOUT = 15.0
STOP_TIMEOUT = 5.0

CHANNELS = {"market_data", "calculations", "notifications", "system", "analytics"}
MARKET_FIELDS = {"discount_rate", "inflation_rate", "market_growth", "tech_index",
                 "ai_adoption_rate"}
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
LISTENING = re.compile(r"listening on (https?)://(\[[^\]]+\]|[^\s:/]+):(\d+)")


class LoggedProcess:
    """A child process whose stdout and stderr lines are collected as they arrive."""

    def __init__(self, args, **popen):
        self.args = args
        self.lines = []
        self.open_streams = 2  # until both are read to their end, lines may still come
        self.changed = threading.Condition()
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        stdin=subprocess.DEVNULL, **popen)
        self.readers = [threading.Thread(target=self._drain, args=(stream,), daemon=True)
                        for stream in (self.process.stdout, self.process.stderr)]
        for reader in self.readers:
            reader.start()

    def _drain(self, stream):
        for raw in stream:
            with self.changed:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self.changed.notify_all()
        with self.changed:
            self.open_streams -= 1
            self.changed.notify_all()

    def output(self):
        with self.changed:
            return "\n".join(self.lines)

    def wait_for_line(self, pattern, timeout, start=0):
        """Waits for a line from index `start` on matching `pattern` (a regex string or
        compiled); returns (index, match). Fails if the process exits first."""
        pattern = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for index in range(start, len(self.lines)):
                    match = pattern.search(self.lines[index])
                    if match:
                        return index, match
                start = max(start, len(self.lines))
                if self.process.poll() is not None and self.open_streams == 0:
                    raise AssertionError(f"{self.args[0]} exited with {self.process.returncode}"
                                         f" before printing {pattern.pattern!r}:\n"
                                         f"{self.output()}")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no {pattern.pattern!r} within {timeout} s:\n"
                                         f"{self.output()}")
                self.changed.wait(min(remaining, 0.1))

    def stop(self, signum=signal.SIGTERM, timeout=STOP_TIMEOUT):
        """Sends `signum` (if still running); returns the exit code, within `timeout`."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        return self.wait(timeout)

    def wait(self, timeout):
        """The exit code; the process is killed and the test fails if it runs past `timeout`."""
        try:
            code = self.process.wait(timeout)
            for reader in self.readers:  # every line it wrote is in output() once it has exited
                reader.join(timeout)
            return code
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"{self.args[0]} still running after {timeout} s:\n"
                                 f"{self.output()}") from None


class ServerProcess(LoggedProcess):
    """A running rtd-server: its address, its process and everything it logged. A TLS server
    (https) is reached with `ssl_context`, which trusts the certificate the test made."""

    def __init__(self, args, ssl_context=None, **popen):
        super().__init__(args, **popen)
        try:
            _, match = self.wait_for_line(LISTENING, START_TIMEOUT)
        except AssertionError:
            self.process.kill()
            self.process.wait()
            raise
        scheme, host = match.group(1), match.group(2)
        self.host, self.port = host.strip("[]"), int(match.group(3))
        self.tls = scheme == "https"
        self.ssl_context = ssl_context
        self.url = f"{scheme}://{host}:{self.port}"
        self.ws_url = f"{'wss' if self.tls else 'ws'}://{host}:{self.port}/ws"

def server_args(data_dir, port=0, **flags):
    """Command line: defaults for tests, overridden by `flags` (market_interval_ms=50 ...).
    A flag set to True is given bare (`--require-auth`), as boolean options are."""
    options = {"host": "127.0.0.1", "port": port, "seed": 42, "data_dir": str(data_dir)}
    options.update(flags)
    return [SERVER_BINARY] + [f"--{name.replace('_', '-')}" + ("" if value is True else f"={value}")
                              for name, value in options.items()]


# ---------------------------------------------------------------------------------------------
# WebSocket clients


class Client:
    """A websockets connection that decodes frames and awaits messages with deadlines."""

    def __init__(self, ws):
        self.ws = ws
        self.welcome = None

    async def send(self, message):
        """Sends a dict as JSON text; str and bytes go out as they are (text or binary)."""
        await self.ws.send(json.dumps(message) if isinstance(message, dict) else message)

    async def recv(self, timeout=TIMEOUT):
        raw = await asyncio.wait_for(self.ws.recv(), timeout)
        assert isinstance(raw, str), f"server sent a binary frame: {raw!r:.200}"
        message = json.loads(raw)
        assert isinstance(message, dict) and isinstance(message.get("type"), str), raw
        return message

    async def expect(self, type_, timeout=TIMEOUT, skip=(), **fields):
        """The next message of `type_` with the given field values.

        Messages of the types in `skip` are passed over; anything else fails the test."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                message = await self.recv(max(remaining, 0))
            except asyncio.TimeoutError:
                raise AssertionError(f"no {type_} {fields or ''} within {timeout} s") from None
            if message["type"] == type_ and all(message.get(k) == v for k, v in fields.items()):
                return message
            assert message["type"] in skip, f"expected {type_} {fields or ''}, got {message}"

    async def request(self, message, timeout=TIMEOUT, skip=("market_update", "system_status",
                                                            "notification")):
        """Sends `message` (which has an id) and returns the reply echoing that id."""
        await self.send(message)
        deadline = time.monotonic() + timeout
        while True:
            reply = await self.recv(max(deadline - time.monotonic(), 0))
            if "id" in reply and reply["id"] == message["id"]:
                return reply
            assert reply["type"] in skip, f"unexpected reply to {message}: {reply}"

    async def ping_ok(self, id_="still-there"):
        """Asserts the connection is usable: a ping gets its pong."""
        pong = await self.request({"type": "ping", "id": id_})
        assert pong["type"] == "pong", pong
        return pong

    async def subscribe(self, channel, **extra):
        """Subscribes and returns the `subscribed` ack (asserting its shape)."""
        await self.send({"type": "subscribe", "channel": channel, **extra})
        ack = await self.expect("subscribed", skip=("market_update", "system_status",
                                                    "notification"))
        assert ack["channel"] == channel, ack
        assert isinstance(ack["seq"], int) and ack["seq"] >= 0, ack
        assert isinstance(ack["epoch"], str) and ack["epoch"], ack
        return ack

    async def publications(self, type_, count, timeout=TIMEOUT, skip=()):
        """The next `count` messages of `type_` (other types in `skip` are passed over)."""
        deadline = time.monotonic() + timeout
        found = []
        while len(found) < count:
            found.append(await self.expect(type_, max(deadline - time.monotonic(), 0), skip))
        return found

    async def until(self, type_, predicate, timeout=TIMEOUT, skip=()):
        """The first message of `type_` for which predicate(message) holds."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {type_} satisfying the condition within {timeout} s")
            message = await self.expect(type_, remaining, skip)
            if predicate(message):
                return message

    async def collect(self, duration):
        """Everything that arrives within `duration` seconds (to check that nothing does)."""
        found = []
        deadline = time.monotonic() + duration
        with contextlib.suppress(asyncio.TimeoutError):
            while (remaining := deadline - time.monotonic()) > 0:
                found.append(await self.recv(remaining))
        return found

    async def close_code(self, timeout=TIMEOUT):
        """Reads until the server closes; returns the close code it sent (None: no frame)."""
        deadline = time.monotonic() + timeout
        try:
            while True:
                await asyncio.wait_for(self.ws.recv(), max(deadline - time.monotonic(), 0))
        except websockets.ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
        except asyncio.TimeoutError:
            raise AssertionError(f"connection still open after {timeout} s") from None


@contextlib.asynccontextmanager
async def connect(server, welcome=True, **options):
    """A Client for `server`; reads the welcome first unless welcome=False."""
    options.setdefault("compression", None)  # frame sizes on the wire are what we send
    options.setdefault("max_size", None)
    options.setdefault("ping_interval", None)
    options.setdefault("open_timeout", TIMEOUT)
    options.setdefault("close_timeout", 2)
    if server.tls:
        options.setdefault("ssl", server.ssl_context)
    async with websockets.connect(server.ws_url, **options) as ws:
        client = Client(ws)
        if welcome:
            client.welcome = await client.expect("welcome")
        yield client


def run(coroutine, timeout=60):
    """Runs a test's async body with an overall deadline."""
    async def bounded():
        return await asyncio.wait_for(coroutine, timeout)
    return asyncio.run(bounded())


def check_publication(message, channel, type_):
    assert message["type"] == type_, message
    assert message["channel"] == channel, message
    assert isinstance(message["seq"], int) and message["seq"] >= 1, message
    assert isinstance(message["epoch"], str) and message["epoch"], message
    assert TIMESTAMP.match(message["timestamp"]), message
    assert "id" not in message, message


def assert_consecutive(messages):
    seqs = [m["seq"] for m in messages]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), f"seqs not +1 each: {seqs}"
    assert len({m["epoch"] for m in messages}) == 1, [m["epoch"] for m in messages]


# ---------------------------------------------------------------------------------------------
# HTTP and raw sockets


def http_request(server, method, path, body=None, headers=None):
    """Returns (status, headers, body bytes)."""
    if server.tls:
        connection = http.client.HTTPSConnection(server.host, server.port, timeout=TIMEOUT,
                                                 context=server.ssl_context)
    else:
        connection = http.client.HTTPConnection(server.host, server.port, timeout=TIMEOUT)
    try:
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            headers = {"Content-Type": "application/json", **(headers or {})}
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def read_http_response(sock, timeout=TIMEOUT):
    """Reads one HTTP response head (and what follows, until close or a short pause)."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    match = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    assert match, f"not an HTTP response: {data[:200]!r}"
    return int(match.group(1)), data


def client_frame(payload, opcode=0x1, fin=True, rsv=0, masked=True, length_form=None):
    """One client frame as bytes. `payload` is a dict (sent as JSON), str or bytes; `rsv` sets
    the reserved bits (1-7); `length_form` (7, 16 or 64) forces a length encoding, shortest
    by default; `masked=False` makes the unmasked frame clients must not send."""
    if isinstance(payload, dict):
        payload = json.dumps(payload)
    if isinstance(payload, str):
        payload = payload.encode()
    length = len(payload)
    if length_form is None:
        length_form = 7 if length < 126 else 16 if length < 65536 else 64
    mask_bit = 0x80 if masked else 0
    first = (0x80 if fin else 0) | (rsv << 4) | opcode
    if length_form == 7:
        head = struct.pack("!BB", first, mask_bit | length)
    elif length_form == 16:
        head = struct.pack("!BBH", first, mask_bit | 126, length)
    else:
        head = struct.pack("!BBQ", first, mask_bit | 127, length)
    if not masked:
        return head + payload
    mask = os.urandom(4)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def upgrade_request(host, path="/ws", headers=None):
    """A valid WebSocket upgrade request; `headers` adds or replaces header lines."""
    fields = {"Host": host, "Upgrade": "websocket", "Connection": "Upgrade",
              "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
              "Sec-WebSocket-Version": "13", **(headers or {})}
    lines = "".join(f"{name}: {value}\r\n" for name, value in fields.items()
                    if value is not None)
    return f"GET {path} HTTP/1.1\r\n{lines}\r\n".encode()


def read_until_eof(sock, timeout=TIMEOUT):
    """Everything `sock` receives until the peer closes (a reset counts as closing); fails if
    the peer keeps the connection open past `timeout`."""
    deadline = time.monotonic() + timeout
    data = b""
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"connection still open after {timeout} s: {data[:200]!r}")
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return data
        except socket.timeout:
            continue
        if not chunk:
            return data
        data += chunk


def http_exchange(server, data, timeout=TIMEOUT):
    """Sends raw `data` on a new connection and reads until the server closes it.

    Returns (status, head, body): the first response's status code, its head as text and the
    bytes after the head. Requests that keep the connection alive need `Connection: close`."""
    with socket.create_connection((server.host, server.port), timeout=timeout) as sock:
        sock.sendall(data)
        received = read_until_eof(sock, timeout)
    match = re.match(rb"HTTP/1\.[01] (\d{3})", received)
    assert match, f"not an HTTP response: {received[:200]!r}"
    head, _, body = received.partition(b"\r\n\r\n")
    return int(match.group(1)), head.decode("latin-1"), body


def vm_rss_kib(pid):
    """A process's resident set size in KiB (VmRSS of /proc/PID/status)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError(f"no VmRSS for process {pid}")


class RawWebSocket:
    """A hand-made WebSocket client on a plain socket, for clients that misbehave.

    `early` is sent in the same write as the upgrade request (frames pipelined after it)."""

    def __init__(self, server, rcvbuf=None, path="/ws", early=b""):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            # Before connect, so the advertised window stays small.
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(TIMEOUT)
        self.sock.connect((server.host, server.port))
        self.sock.sendall(upgrade_request(f"{server.host}:{server.port}", path) + early)
        status, data = read_http_response(self.sock)
        assert status == 101, data
        self.buffer = data.split(b"\r\n\r\n", 1)[1]  # any frames already read

    def send_frame(self, payload, opcode=0x1, **shape):
        """Sends one frame (see client_frame for `payload` and `shape`)."""
        self.sock.sendall(client_frame(payload, opcode, **shape))

    def send_raw(self, data):
        self.sock.sendall(data)

    def next_frame(self, timeout=TIMEOUT):
        """The next frame from the server as (opcode, payload); None when the stream ends."""
        deadline = time.monotonic() + timeout
        while (frame := self._parse_frame()) is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"socket still open, no frame within {timeout} s")
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(1 << 20)
            except socket.timeout:
                continue
            except ConnectionResetError:
                return None
            if not chunk:
                return None
            self.buffer += chunk
        return frame

    def next_message(self, timeout=TIMEOUT):
        """The next text frame, decoded as strict UTF-8 JSON (control frames are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            frame = self.next_frame(max(deadline - time.monotonic(), 0))
            assert frame is not None, "connection ended"
            opcode, payload = frame
            if opcode == 0x1:
                return json.loads(payload.decode("utf-8", "strict"))
            assert opcode in (0x9, 0xA), f"unexpected frame {opcode:#x}: {payload[:200]!r}"

    def read_until_close(self, timeout):
        """Reads frames until a close frame or the end of the stream.

        Returns (close_code or None, number of data frames read, how it ended)."""
        deadline = time.monotonic() + timeout
        frames = 0
        while (frame := self.next_frame(max(deadline - time.monotonic(), 0))) is not None:
            opcode, payload = frame
            if opcode == 0x8:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                return code, frames, "close frame"
            frames += 1
        return None, frames, "eof"

    def read_json(self, until, timeout):
        """Reads text frames (JSON) until `until(message)` holds for one; returns them all."""
        deadline = time.monotonic() + timeout
        messages = []
        while True:
            frame = self._parse_frame()
            if frame is None:
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"no matching message within {timeout} s: {messages[-3:]}"
                self.sock.settimeout(remaining)
                chunk = self.sock.recv(1 << 20)
                assert chunk, f"connection ended after {len(messages)} messages"
                self.buffer += chunk
                continue
            opcode, payload = frame
            assert opcode == 0x1, (opcode, payload[:100])
            messages.append(json.loads(payload))
            if until(messages[-1]):
                return messages

    def _parse_frame(self):
        data = self.buffer
        if len(data) < 2:
            return None
        opcode, length = data[0] & 0x0F, data[1] & 0x7F
        offset = 2
        if length == 126:
            if len(data) < 4:
                return None
            length, offset = struct.unpack("!H", data[2:4])[0], 4
        elif length == 127:
            if len(data) < 10:
                return None
            length, offset = struct.unpack("!Q", data[2:10])[0], 10
        if data[1] & 0x80:
            offset += 4  # servers must not mask, but parse it anyway
        if len(data) < offset + length:
            return None
        self.buffer = data[offset + length:]
        return opcode, data[offset:offset + length]

    def close(self):
        self.sock.close()


class FrameRecorder:
    """Keeps every frame a RawWebSocket receives, read on a thread of its own that answers
    the server's pings (so an otherwise silent client is not closed as idle)."""

    def __init__(self, ws):
        self.ws = ws
        self.frames = []
        self.ended = None  # why reading stopped
        self.changed = threading.Condition()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        while True:
            try:
                frame = self.ws.next_frame(timeout=3600)
            except (AssertionError, OSError) as error:
                frame, why = None, repr(error)
            else:
                why = "eof" if frame is None else "close frame" if frame[0] == 0x8 else None
            with self.changed:
                if frame is not None:
                    self.frames.append(frame)
                self.ended = why
                self.changed.notify_all()
            if why:
                return
            if frame[0] == 0x9:
                self.ws.send_frame(frame[1], opcode=0xA)

    def texts(self):
        """The payloads of the text frames so far, as bytes."""
        with self.changed:
            return [payload for opcode, payload in self.frames if opcode == 0x1]

    def wait_for(self, predicate, timeout=TIMEOUT):
        """The first text frame (decoded JSON) for which predicate holds; waits for it."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for opcode, payload in self.frames:
                    if opcode == 0x1 and predicate(json.loads(payload)):
                        return json.loads(payload)
                remaining = deadline - time.monotonic()
                assert self.ended is None, f"recorder stopped: {self.ended}"
                assert remaining > 0, f"no such frame within {timeout} s"
                self.changed.wait(remaining)

    def close(self):
        self.ws.close()
        self.thread.join(STOP_TIMEOUT)
