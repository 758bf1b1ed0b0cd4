#!/usr/bin/env python3
"""Read rtd's market data from Redis: each market_update rtd publishes, as the exact JSON its
WebSocket clients receive (same seq and epoch), from the Redis channel rtd:market_data.

rtd publishes there when started with --redis=redis://host:port (market_data is in
--redis-egress by default). Pub/sub keeps nothing for a reader that is away or slow, so a gap in
seq means updates were missed; this script says so. With --redis-stream-maxlen, rtd also
appends every update to the stream rtd:stream:market_data, from which --replay N reads the last
N first.

Usage: redis_listen.py [--redis redis://localhost:6379/0] [--channel market_data]
                       [--replay N] [--count N] [--quiet]
The password, when Redis wants one, comes from the REDIS_PASSWORD environment variable.
Stops after --count updates (0: until Ctrl-C), printing a summary; exits 0 unless Redis failed.
Needs python3-redis.
"""

import argparse
import json
import os
import sys

import redis


class Reader:
    """Follows one rtd channel's seq per epoch, counting gaps."""

    def __init__(self, quiet):
        self.quiet = quiet
        self.received = 0
        self.gaps = 0
        self.last = None  # (epoch, seq)

    def take(self, raw, source):
        update = json.loads(raw)
        epoch, seq = update["epoch"], update["seq"]
        if self.last and self.last[0] == epoch and seq != self.last[1] + 1:
            if seq > self.last[1] + 1:
                self.gaps += 1
                print(f"gap: seq {self.last[1] + 1} to {seq - 1} missed")
        elif self.last and self.last[0] != epoch:
            print(f"new epoch {epoch}: rtd restarted its sequence")
        self.last = (epoch, seq)
        self.received += 1
        if not self.quiet:
            data = update.get("data", {})
            figures = " ".join(f"{k}={v:.6g}" for k, v in data.items()
                               if isinstance(v, (int, float)))
            print(f"{source} #{seq} {update['type']} {figures}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis", default="redis://localhost:6379/0")
    parser.add_argument("--channel", default="market_data")
    parser.add_argument("--replay", type=int, default=0, metavar="N",
                        help="first print the last N entries of rtd:stream:<channel>")
    parser.add_argument("--count", type=int, default=0, help="stop after N live updates")
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    args = parser.parse_args()

    client = redis.Redis.from_url(args.redis, password=os.environ.get("REDIS_PASSWORD"))
    reader = Reader(args.quiet)
    live = 0
    try:
        # Subscribed before the replay is read, so nothing falls between the two.
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(f"rtd:{args.channel}")
        if args.replay > 0:
            entries = client.xrevrange(f"rtd:stream:{args.channel}", count=args.replay)
            for _, fields in reversed(entries):
                reader.take(fields[b"data"], "stream")
        print(f"listening on rtd:{args.channel}", flush=True)
        for message in pubsub.listen():
            if message["type"] != "message":
                continue
            update = json.loads(message["data"])
            if reader.last and update["epoch"] == reader.last[0] and \
                    update["seq"] <= reader.last[1]:
                continue  # already read from the stream
            reader.take(message["data"], "live")
            live += 1
            if args.count and live >= args.count:
                break
    except KeyboardInterrupt:
        pass
    except redis.RedisError as error:
        print(f"redis_listen: {args.redis}: {error}", file=sys.stderr)
        return 1
    print(f"summary: received={reader.received} gaps={reader.gaps}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
