#!/usr/bin/env python3
"""Publish a notification to every WebSocket client of rtd, through Redis.

rtd started with --redis=redis://host:port listens on rtd:publish:notifications: a message
PUBLISHed there is checked like the body of POST /api/notifications ({"message", and optionally
"level" and "notification_type"}) and published on the `notifications` channel with its next
seq, to every subscriber. What rtd refuses (bad JSON, no message, an unknown level, more than
--redis-ingest-max-bytes) is logged and counted by rtd (rtd_redis_invalid_total), not answered:
pub/sub has no replies.

Usage: redis_publish.py [--redis redis://localhost:6379/0] [--level info] [--type info] MESSAGE
The password, when Redis wants one, comes from the REDIS_PASSWORD environment variable.
Exits 0 when an rtd node was listening (PUBLISH reached at least one subscriber), else 1.
Needs python3-redis.
"""

import argparse
import json
import os
import sys

import redis

LEVELS = ("info", "success", "warning", "error")
TYPES = ("info", "alert", "calculation", "cluster", "system")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("message")
    parser.add_argument("--redis", default="redis://localhost:6379/0")
    parser.add_argument("--level", choices=LEVELS, default="info")
    parser.add_argument("--type", dest="notification_type", choices=TYPES, default="info")
    args = parser.parse_args()

    client = redis.Redis.from_url(args.redis, password=os.environ.get("REDIS_PASSWORD"))
    body = {"message": args.message, "level": args.level,
            "notification_type": args.notification_type}
    try:
        receivers = client.publish("rtd:publish:notifications", json.dumps(body))
    except redis.RedisError as error:
        print(f"redis_publish: {args.redis}: {error}", file=sys.stderr)
        return 1
    if receivers == 0:
        print("redis_publish: nobody listens on rtd:publish:notifications: is rtd running "
              "with --redis, and notifications in --redis-ingest?", file=sys.stderr)
        return 1
    print(f"published to {receivers} listener(s) of rtd:publish:notifications")
    return 0


if __name__ == "__main__":
    sys.exit(main())
