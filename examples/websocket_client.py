#!/usr/bin/env python3
"""Example rtd client: subscribe, calculate, ping, and stay connected.

Shows the practices every long-lived rtd client should follow (see docs/protocol.md):

* reconnect with exponential backoff and jitter, so that a restarted server is not hit by
  every client at the same instant;
* remember the last `seq` and `epoch` seen on each channel and resubscribe with `since_seq`
  and `epoch`, so that publications missed while disconnected are replayed;
* validate what arrives: a `type`, the fields each type requires, `seq` exactly +1 per
  publication (a gap or a duplicate is reported);
* exit cleanly on Ctrl-C: close the WebSocket normally (code 1000) and exit 0.

With --analytics it also subscribes to the `analytics` channel, prints each indicator's trend,
z-score and volatility, and sets alerts on computed values (a z-score of the discount rate
beyond +-1, a reversal of its trend), set again on each connection as alerts are per connection.

Usage: websocket_client.py [--url ws://localhost:8000/ws] [--channels market_data,system]
                           [--analytics] [--duration SECONDS] [--quiet]
Needs python3-websockets (Debian 12: version 10.4).
"""

import argparse
import asyncio
import itertools
import json
import random
import re
import signal
import sys

import websockets

# The seed's calculation example, as written in docs/protocol.md, plus an `id` for the reply.
NPV_EXAMPLE = {
    "type": "calculate",
    "id": "npv-example",
    "calculation_id": "unique_id",
    "calculation_type": "npv",
    "parameters": {
        "cash_flows": [100000, 120000, 140000],
        "discount_rate": 0.10,
        "initial_investment": 300000,
    },
}

# The computed alerts of --analytics (docs/protocol.md, alerts).
ANALYTICS_ALERTS = [
    {"type": "set_alert", "id": "alert-zscore-high", "alert_id": "zscore-high",
     "metric": "analytics.discount_rate.zscore", "condition": "above", "threshold": 1.0},
    {"type": "set_alert", "id": "alert-zscore-low", "alert_id": "zscore-low",
     "metric": "analytics.discount_rate.zscore", "condition": "below", "threshold": -1.0},
    {"type": "set_alert", "id": "alert-rate-turn", "alert_id": "rate-turn",
     "metric": "analytics.discount_rate.trend_reversal", "condition": "reversal"},
]
TREND_ARROWS = {"up": "^", "down": "v", "flat": "-"}

PUBLICATION_FIELDS = ("channel", "seq", "epoch", "timestamp")
REQUIRED_FIELDS = {
    "welcome": ("session_id", "node", "protocol", "channels"),
    "subscribed": ("channel", "seq", "epoch"),
    "unsubscribed": ("channel",),
    "pong": ("timestamp",),
    "error": ("code", "message"),
    "market_update": PUBLICATION_FIELDS + ("data",),
    "system_status": PUBLICATION_FIELDS + ("data",),
    "notification": ("notification_type", "level", "message", "timestamp"),
    "calculation_update": ("calculation_id", "calculation_type", "status", "timestamp"),
    "analytics_update": PUBLICATION_FIELDS + ("market_seq", "data"),
    "alert_set": ("alert_id", "metric", "condition"),
}
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")

PING_INTERVAL_S = 15.0
BACKOFF_INITIAL_S = 0.5
BACKOFF_MAX_S = 30.0


class ProtocolProblem(Exception):
    """An incoming message that breaks the protocol."""


def validate(raw):
    """Parses one text frame and checks the fields its type requires; returns the dict."""
    try:
        message = json.loads(raw)
    except (TypeError, ValueError) as exc:
        raise ProtocolProblem(f"not JSON text: {exc}") from None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ProtocolProblem(f"not an object with a string type: {raw!r:.200}")
    missing = [f for f in REQUIRED_FIELDS.get(message["type"], ()) if f not in message]
    if missing:
        raise ProtocolProblem(f"{message['type']} lacks {', '.join(missing)}")
    if "timestamp" in message and not TIMESTAMP.match(str(message["timestamp"])):
        raise ProtocolProblem(f"bad timestamp {message['timestamp']!r}")
    if "seq" in message and (not isinstance(message["seq"], int) or message["seq"] < 0):
        raise ProtocolProblem(f"bad seq {message['seq']!r}")
    if message["type"] == "market_update" and not (
            isinstance(message["data"], dict)
            and all(isinstance(v, (int, float)) for v in message["data"].values())):
        raise ProtocolProblem("market_update data is not an object of numbers")
    return message


class ChannelTracker:
    """Last seq/epoch seen on one channel: builds the resubscribe and checks continuity."""

    def __init__(self, channel):
        self.channel = channel
        self.epoch = None
        self.last_seq = None
        self.latest_expected = False  # a fresh subscribe may repeat subscribed.seq once

    def subscribe_request(self):
        request = {"type": "subscribe", "channel": self.channel, "id": f"sub-{self.channel}"}
        if self.epoch is not None:
            request.update(since_seq=self.last_seq, epoch=self.epoch)
        return request

    def on_subscribed(self, ack):
        """Returns a note for the user when the server could not recover what we missed."""
        if ack.get("recovered") is True and ack["epoch"] == self.epoch:
            return None
        note = None
        if "recovered" in ack:
            note = f"{self.channel}: recovery impossible (epoch {ack['epoch']}), starting afresh"
        self.epoch, self.last_seq, self.latest_expected = ack["epoch"], ack["seq"], True
        return note

    def on_publication(self, message):
        """Returns (accept, problem): duplicates are dropped, gaps accepted but reported."""
        seq, epoch = message["seq"], message["epoch"]
        if epoch != self.epoch or self.last_seq is None:
            problem = None if self.epoch is None else f"{self.channel}: epoch changed to {epoch}"
            self.epoch, self.last_seq, self.latest_expected = epoch, seq, False
            return True, problem
        if seq == self.last_seq and self.latest_expected:
            self.latest_expected = False
            return True, None
        if seq <= self.last_seq:
            return False, f"{self.channel}: duplicate or old seq {seq} (last {self.last_seq})"
        problem = None
        if seq > self.last_seq + 1:
            problem = f"{self.channel}: gap, seq {self.last_seq + 1}..{seq - 1} missed"
        self.last_seq, self.latest_expected = seq, False
        return True, problem


class Client:
    def __init__(self, url, channels, quiet, analytics=False):
        self.url = url
        self.quiet = quiet
        self.analytics = analytics
        if analytics and "analytics" not in channels:
            channels = [*channels, "analytics"]
        self.trackers = {channel: ChannelTracker(channel) for channel in channels}
        self.stopping = asyncio.Event()
        self.calculation_requested = False
        self.attempt = 0  # reconnection attempts since the last welcome
        self.received = self.problems = self.connections = 0

    def show(self, text):
        if not self.quiet:
            print(text, flush=True)

    def warn(self, text):
        print(f"warning: {text}", file=sys.stderr, flush=True)

    def problem(self, text):
        self.problems += 1
        self.warn(text)

    async def run(self):
        """Connects, and reconnects with backoff until asked to stop."""
        while not self.stopping.is_set():
            try:
                async with websockets.connect(self.url, open_timeout=10, close_timeout=2) as ws:
                    await self.session(ws)
            except (OSError, asyncio.TimeoutError, websockets.WebSocketException,
                    ProtocolProblem) as exc:
                self.warn(f"connection: {exc or type(exc).__name__}")
            if self.stopping.is_set():
                break
            # Exponential backoff with "equal jitter": half fixed, half random.
            ceiling = min(BACKOFF_MAX_S, BACKOFF_INITIAL_S * 2**self.attempt)
            delay = ceiling / 2 + random.uniform(0, ceiling / 2)
            self.attempt += 1
            self.show(f"reconnecting in {delay:.2f} s")
            try:
                await asyncio.wait_for(self.stopping.wait(), delay)
            except asyncio.TimeoutError:
                pass

    async def session(self, ws):
        """One connection: welcome, (re)subscribe, then read until closed or stopping."""
        welcome = validate(await ws.recv())
        if welcome["type"] != "welcome":
            raise ProtocolProblem(f"expected welcome, got {welcome['type']}")
        self.connections += 1
        self.attempt = 0
        self.show(f"connected: session={welcome['session_id']} node={welcome['node']}")
        for tracker in self.trackers.values():
            await self.send(ws, tracker.subscribe_request())
        if self.analytics:
            for alert in ANALYTICS_ALERTS:
                await self.send(ws, alert)
        if not self.calculation_requested:
            self.calculation_requested = True
            await self.send(ws, NPV_EXAMPLE)
        reader = asyncio.create_task(self.read(ws))
        pinger = asyncio.create_task(self.ping(ws))
        stop = asyncio.create_task(self.stopping.wait())
        try:
            await asyncio.wait({reader, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (reader, pinger, stop):
                task.cancel()
        if self.stopping.is_set():
            await ws.close(1000, "client exiting")
        else:
            reader.result()  # re-raises why the connection ended, if it failed
            self.show(f"server closed the connection: {ws.close_code} {ws.close_reason}")

    async def send(self, ws, message):
        self.show(f"-> {json.dumps(message)}")
        await ws.send(json.dumps(message))

    async def ping(self, ws):
        try:
            for n in itertools.count(1):
                await self.send(ws, {"type": "ping", "id": n})
                await asyncio.sleep(PING_INTERVAL_S)
        except websockets.ConnectionClosed:
            pass  # the reader sees the close too and ends the session

    async def read(self, ws):
        async for raw in ws:
            self.received += 1
            try:
                self.handle(validate(raw))
            except ProtocolProblem as exc:
                self.problem(str(exc))

    def handle(self, message):
        kind = message["type"]
        tracker = self.trackers.get(message.get("channel"))
        if kind == "subscribed" and tracker:
            note = tracker.on_subscribed(message)
            if note:
                self.warn(note)
            recovered = f" recovered={message['recovered']}" if "recovered" in message else ""
            self.show(f"subscribed to {message['channel']} at seq {message['seq']}{recovered}")
        elif "seq" in message and tracker:
            accept, problem = tracker.on_publication(message)
            if problem:
                self.problem(problem)
            if accept:
                self.show_publication(message)
        elif kind == "error":
            self.show_error(message)
        elif kind == "pong":
            self.show(f"pong id={message.get('id')} at {message['timestamp']}")
        elif kind == "alert_set":
            self.show(f"alert set: {message['alert_id']} {message['metric']} "
                      f"{message['condition']} {message.get('threshold', '')}".rstrip())
        elif kind == "notification" and message["notification_type"] == "alert":
            self.show(f"alert {message['alert_id']}: {message['message']}")
        elif kind == "calculation_update":
            self.show(f"calculation {message['calculation_id']}: {message['status']} "
                      f"{message.get('progress', '')} {json.dumps(message.get('result', ''))}")
        else:
            self.show(f"<- {json.dumps(message)}")

    def show_publication(self, message):
        head = f"{message['channel']} #{message['seq']}"
        if message["type"] == "market_update":
            values = " ".join(f"{k}={v:.4g}" for k, v in message["data"].items())
            self.show(f"{head} market_update {values}")
        elif message["type"] == "analytics_update":
            parts = [f"{name} {TREND_ARROWS.get(a['trend'], '?')}{a['trend_strength']:.2f} "
                     f"z={a['zscore']:+.2f} vol={a['volatility']:.3g}"
                     for name, a in message["data"].items()]
            self.show(f"{head} analytics_update market_seq={message['market_seq']} "
                      + "; ".join(parts))
        elif message["type"] == "system_status":
            data = message["data"]
            connections = data.get("connections", {})
            self.show(f"{head} system_status {data.get('status')} connections "
                      f"active={connections.get('active')} total={connections.get('total')}")
        else:
            self.show(f"{head} {json.dumps(message)}")

    def show_error(self, error):
        if error.get("id") == NPV_EXAMPLE["id"] or error.get("request_type") == "calculate":
            # A server without calculations (or refusing this one): carry on without it.
            self.show(f"calculation not run: {error['code']}: {error['message']}")
        else:
            self.warn(f"server error {error['code']}: {error['message']} (id={error.get('id')})")


async def main(args):
    client = Client(args.url, [c for c in args.channels.split(",") if c], args.quiet,
                    args.analytics)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, client.stopping.set)
    if args.duration is not None:
        loop.call_later(args.duration, client.stopping.set)
    await client.run()
    print(f"summary: connections={client.connections} received={client.received} "
          f"problems={client.problems}", file=sys.stderr, flush=True)
    return 0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="ws://localhost:8000/ws")
    parser.add_argument("--channels", default="market_data",
                        help="comma-separated channels to subscribe to (default: market_data)")
    parser.add_argument("--analytics", action="store_true",
                        help="subscribe to analytics, print trends and set computed alerts")
    parser.add_argument("--duration", type=float, help="exit after this many seconds")
    parser.add_argument("--quiet", action="store_true", help="print only warnings and summary")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
