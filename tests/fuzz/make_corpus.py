#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora into tests/fuzz/corpus/<harness>/: one meaningful input a
file, named for what it is. Run it after changing a seed; commit what it writes.

fuzz_ws_frames inputs end with the harness's parameters, which FuzzedDataProvider reads from
the end: the cut sizes (reversed), their count, then the message size limit (2 bytes).
"""

import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
MASK = b"\x37\xfa\x21\x3d"


def frame(payload, opcode=0x1, fin=True, rsv=0):
    """A masked client frame in the shortest length form."""
    payload = payload.encode() if isinstance(payload, str) else payload
    first = (0x80 if fin else 0) | rsv << 4 | opcode
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", first, 0x80 | n)
    elif n <= 0xFFFF:
        head = struct.pack("!BBH", first, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", first, 0x80 | 127, n)
    return head + MASK + bytes(b ^ MASK[i % 4] for i, b in enumerate(payload))


def close(code, reason=b""):
    return frame(struct.pack("!H", code) + reason, opcode=0x8)


def ws_input(stream, max_message=256, cuts=()):
    trailer = bytes(cut - 1 for cut in reversed(cuts)) + bytes([len(cuts)])
    return stream + trailer + struct.pack("<H", max_message)


PING = json.dumps({"type": "ping", "id": "p1"})

WS_FRAMES = {
    "ping_text": ws_input(frame(PING)),
    "ping_text_split": ws_input(frame(PING), cuts=(1, 2, 5)),
    "fragmented_with_control_between": ws_input(
        frame('{"type":', fin=False) + frame(b"hi", opcode=0x9) +
        frame('"ping"}', opcode=0x0), cuts=(3, 7, 11)),
    "utf8_split_across_fragments": ws_input(
        frame(b'"caf\xc3', fin=False) + frame(b'\xa9"', opcode=0x0)),
    "binary": ws_input(frame(b"\x00\x01\xff", opcode=0x2)),
    "length_16_bit": ws_input(frame("x" * 200), max_message=300),
    "over_limit_1009": ws_input(frame("x" * 200), max_message=100),
    "close_with_reason": ws_input(close(1000, "bye".encode())),
    "close_empty_then_more": ws_input(frame(b"", opcode=0x8) + frame(PING)),
    "pong_then_text": ws_input(frame(b"", opcode=0xA) + frame(PING)),
    "reserved_bit": ws_input(frame(PING, rsv=4)),
    "unmasked": ws_input(b"\x81\x02hi"),
    "length_64_bit_huge": ws_input(b"\x81\xff" + struct.pack("!Q", 1 << 62) + MASK),
}

CASH = [100000, 120000, 140000]
DECODE = {
    "subscribe": {"type": "subscribe", "channel": "market_data", "id": 1},
    "subscribe_recover": {"type": "subscribe", "channel": "calculations", "since_seq": 4,
                          "epoch": "e1", "conflate": False},
    "unsubscribe": {"type": "unsubscribe", "channel": "system", "id": "u"},
    "ping": {"type": "ping", "id": "p"},
    "cancel": {"type": "cancel", "calculation_id": "c1", "id": 7},
    "auth": {"type": "auth", "token": "a.b.c"},
    "set_alert": {"type": "set_alert", "alert_id": "a1", "metric": "tech_index",
                  "condition": "below", "threshold": 99.5},
    "remove_alert": {"type": "remove_alert", "alert_id": "a1"},
    "history": {"type": "history", "channel": "market_data", "since_seq": 3, "limit": 10,
                "from": "2024-01-15T10:30:00.123456Z", "to": "2024-01-16T00:00:00Z"},
    "calculate_npv": {"type": "calculate", "calculation_id": "n", "calculation_type": "npv",
                      "parameters": {"cash_flows": CASH, "discount_rate": 0.1,
                                     "initial_investment": 300000}},
    "calculate_npv_market_live": {"type": "calculate", "calculation_type": "npv", "live": True,
                                  "parameters": {"cash_flows": CASH, "discount_rate": "market",
                                                 "initial_investment": 300000}},
    "calculate_irr": {"type": "calculate", "calculation_type": "irr",
                      "parameters": {"cash_flows": CASH, "initial_investment": 300000}},
    "calculate_roi": {"type": "calculate", "calculation_type": "roi",
                      "parameters": {"cash_flows": CASH, "initial_investment": 1e5}},
    "calculate_payback": {"type": "calculate", "calculation_type": "payback",
                          "parameters": {"cash_flows": CASH, "initial_investment": 2e5,
                                         "discount_rate": 0.05}},
    "calculate_monte_carlo": {"type": "calculate", "calculation_type": "monte_carlo",
                              "parameters": {"cash_flows": CASH, "initial_investment": 3e5,
                                             "discount_rate": 0.1, "volatility": 0.2,
                                             "iterations": 1000, "seed": 42}},
    "calculate_sensitivity": {"type": "calculate", "calculation_type": "sensitivity",
                              "parameters": {"cash_flows": CASH, "initial_investment": 3e5,
                                             "discount_rate": 0.1, "variation": 0.3}},
    "notification_post": {"message": "System update completed", "level": "success",
                          "notification_type": "system"},
}
DECODE_TEXT = {
    "lone_surrogate_id": '{"type":"ping","id":"\\udc00"}',
    "surrogate_pair_id": '{"type":"ping","id":"\\ud83d\\ude00"}',
    "huge_number": '{"type":"calculate","calculation_type":"npv","parameters":'
                   '{"cash_flows":[1e999],"discount_rate":0.1,"initial_investment":1}}',
    "nested": '{"type":"ping","x":' + "[" * 40 + "]" * 40 + "}",
}

HOST = "Host: localhost:8000\r\n"
UPGRADE = ("GET /ws?token=a%2Eb.c HTTP/1.1\r\n" + HOST + "Upgrade: websocket\r\n"
           "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 13\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")
BODY = '{"message":"hi"}'
HTTP = {
    "upgrade": UPGRADE + "\r\n",
    "upgrade_with_origin_and_bearer": UPGRADE + "Origin: https://allowed.example\r\n"
                                      "Authorization: Bearer x.y.z\r\n\r\n",
    "get_health": "GET /health HTTP/1.1\r\n" + HOST + "\r\n",
    "head_absolute_form": "HEAD http://localhost:8000/ready?x=1 HTTP/1.1\r\n" + HOST + "\r\n",
    "post_json": "POST /api/notifications HTTP/1.1\r\n" + HOST +
                 "Content-Type: application/json\r\n"
                 f"Content-Length: {len(BODY)}\r\n\r\n{BODY}",
    "post_chunked": "POST /api/notifications HTTP/1.1\r\n" + HOST +
                    "Transfer-Encoding: chunked\r\n\r\n"
                    f"{len(BODY):x}\r\n{BODY}\r\n0\r\n\r\n",
    "pipelined": "GET /health HTTP/1.1\r\n" + HOST + "\r\nGET /ready HTTP/1.0\r\n\r\n",
    "http_1_0_no_host": "GET / HTTP/1.0\r\n\r\n",
}


def write(harness, name, data):
    directory = os.path.join(HERE, "corpus", harness)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)


def main():
    for name, data in WS_FRAMES.items():
        write("fuzz_ws_frames", name, data)
    for name, message in DECODE.items():
        write("fuzz_decode", name + ".json", json.dumps(message))
    for name, text in DECODE_TEXT.items():
        write("fuzz_decode", name + ".json", text)
    for name, text in HTTP.items():
        write("fuzz_http", name + ".http", text)


if __name__ == "__main__":
    main()
