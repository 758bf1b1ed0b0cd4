"""The hostile-input table of test_hostile.py: what a hostile client sends, and what the
protocol (docs/protocol.md, RFC 6455, RFC 9112) says the server answers. Data only."""

import base64
import json
import struct

from support import client_frame

PING = {"type": "ping", "id": "p"}
MASK = b"\x01\x02\x03\x04"


def close_frame(code, reason=b""):
    return client_frame(struct.pack("!H", code) + reason, opcode=0x8)


def declared_length(length):
    """A text frame header declaring `length` bytes in the 64-bit form, with no payload."""
    return b"\x81\xff" + struct.pack("!Q", length) + MASK


# RFC 6455 violations, each sent after `welcome`: the close code the server must send.
FRAMES = {
    "unmasked_text": (client_frame(PING, masked=False), 1002),
    "rsv1_set": (client_frame(PING, rsv=4), 1002),
    "rsv2_set": (client_frame(PING, rsv=2), 1002),
    "rsv3_set": (client_frame(PING, rsv=1), 1002),
    "opcode_3": (client_frame(PING, opcode=0x3), 1002),
    "opcode_7": (client_frame(PING, opcode=0x7), 1002),
    "opcode_b": (client_frame(b"", opcode=0xB), 1002),
    "opcode_f": (client_frame(b"", opcode=0xF), 1002),
    "fragmented_ping": (client_frame(b"x", opcode=0x9, fin=False), 1002),
    "fragmented_close": (client_frame(b"\x03\xe8", opcode=0x8, fin=False), 1002),
    "ping_126_bytes": (client_frame(b"x" * 126, opcode=0x9), 1002),
    "close_126_bytes": (close_frame(1000, b"x" * 124), 1002),
    "close_one_byte": (client_frame(b"\x03", opcode=0x8), 1002),
    "close_code_0": (close_frame(0), 1002),
    "close_code_999": (close_frame(999), 1002),
    "close_code_1004": (close_frame(1004), 1002),
    "close_code_1005": (close_frame(1005), 1002),
    "close_code_1006": (close_frame(1006), 1002),
    "close_code_1015": (close_frame(1015), 1002),
    "close_code_1016": (close_frame(1016), 1002),
    "close_code_2999": (close_frame(2999), 1002),
    "close_code_5000": (close_frame(5000), 1002),
    "close_code_65535": (close_frame(65535), 1002),
    "close_reason_invalid_utf8": (close_frame(1000, b"bye \xff"), 1007),
    "close_reason_encoded_surrogate": (close_frame(1000, b"\xed\xb0\x80"), 1007),
    "text_invalid_byte": (client_frame(b'{"type":"ping","id":"\xff"}'), 1007),
    "text_encoded_surrogate": (client_frame(b'{"type":"ping","id":"\xed\xb0\x80"}'), 1007),
    "text_overlong_slash": (client_frame(b'{"type":"ping","id":"\xc0\xaf"}'), 1007),
    "text_above_u10ffff": (client_frame(b'{"type":"ping","id":"\xf4\x90\x80\x80"}'), 1007),
    "text_ends_mid_character": (client_frame(b'{"type":"ping","id":"\xe2\x82'), 1007),
    "fragment_invalid_utf8": (client_frame(b'{"id":"\xff', fin=False), 1007),
    "fragments_end_mid_character": (client_frame(b'"\xe2\x82', fin=False) +
                                    client_frame(b"", opcode=0x0), 1007),
    "continuation_without_start": (client_frame(b"{}", opcode=0x0), 1002),
    "text_inside_fragmented": (client_frame(b"{", fin=False) + client_frame(b"}"), 1002),
    "binary_inside_fragmented": (client_frame(b"{", fin=False) +
                                 client_frame(b"}", opcode=0x2), 1002),
    "length_16_not_shortest": (client_frame(PING, length_form=16), 1002),
    "length_64_not_shortest": (client_frame(b"x" * 200, length_form=64), 1002),
    "length_high_bit_set": (declared_length(1 << 63), 1002),
    "length_2_pow_62": (declared_length(1 << 62), 1009),
    "length_65537_declared": (declared_length(65537), 1009),
    "fragments_over_limit": (client_frame(b"x" * 40000, fin=False) +
                             client_frame(b"x" * 30000, opcode=0x0), 1009),
}


def calculate(**parameters):
    """A valid npv request with `parameters` changed (None removes one)."""
    base = {"cash_flows": [100, 200], "discount_rate": 0.1, "initial_investment": 250}
    merged = {k: v for k, v in {**base, **parameters}.items() if v is not None}
    return {"type": "calculate", "calculation_type": "npv", "parameters": merged}


def monte_carlo(**parameters):
    message = calculate(**{"volatility": 0.2, "iterations": 100, **parameters})
    return {**message, "calculation_type": "monte_carlo"}


def alert(**fields):
    return {"type": "set_alert", "alert_id": "a", "metric": "discount_rate",
            "condition": "above", "threshold": 0.5, **fields}


DEEP = "[" * 100 + "]" * 100
TEN_THOUSAND = [1.0] * 10_000

# Messages that are valid WebSocket text but bad requests: (message, expected reply). A dict
# is sent as JSON with an `id` the reply must echo; a str or bytes is sent as it is. The
# expected reply is an error code, or the type of the reply when the input is to be served.
MESSAGES = {
    # JSON itself
    "nested_100_deep": ('{"type":"ping","x":%s}' % DEEP, "invalid_json"),
    "nested_20000_deep": ("[" * 20000 + "]" * 20000, "invalid_json"),
    "raw_nul_byte": (b'{"type":"ping"}\x00', "invalid_json"),
    "byte_order_mark": ('\ufeff{"type":"ping"}', "invalid_json"),
    "trailing_garbage": ('{"type":"ping"} x', "invalid_json"),
    "two_objects": ('{"type":"ping"}{"type":"ping"}', "invalid_json"),
    "nan_literal": ('{"type":"ping","x":NaN}', "invalid_json"),
    "single_quotes": ("{'type':'ping'}", "invalid_json"),
    "huge_number_cash_flow": (json.dumps(calculate()).replace("[100", "[1e400"),
                              "invalid_parameters"),
    "huge_negative_discount_rate": (json.dumps(calculate()).replace("0.1", "-1e400"),
                                    "invalid_parameters"),
    "id_2_pow_64": ('{"type":"ping","id":18446744073709551616}', "invalid_message"),
    "id_400_digits": ('{"type":"ping","id":%s}' % ("9" * 400), "invalid_message"),
    # lone surrogates: never decoded, never echoed
    "surrogate_in_id": ('{"type":"ping","id":"\\udc00"}', "invalid_message"),
    "high_surrogate_in_id": ('{"type":"ping","id":"\\ud800x"}', "invalid_message"),
    "surrogate_in_calculation_id": (json.dumps(calculate()).replace(
        '"type"', '"calculation_id":"\\udc00","type"'), "invalid_message"),
    "surrogate_in_channel": ('{"type":"subscribe","channel":"\\udc00"}', "invalid_message"),
    "surrogate_in_ignored_field": ('{"type":"ping","extra":"\\udfff"}', "invalid_message"),
    "surrogate_in_key": ('{"\\udc00":1,"type":"ping"}', "invalid_message"),
    "surrogate_in_type": ('{"type":"\\udc00"}', "invalid_message"),
    # valid but unusual: served
    "nul_escape_in_id": ('{"type":"ping","id":"a\\u0000b"}', "pong"),
    "duplicate_key_first_wins": ('{"type":"ping","type":"subscribe","id":"dup"}', "pong"),
    "ten_thousand_cash_flows": (calculate(cash_flows=TEN_THOUSAND), "calculation_update"),
    # unknown names
    "unknown_type": ({"type": "frobnicate"}, "unknown_type"),
    "empty_type": ({"type": ""}, "unknown_type"),
    "unknown_channel": ({"type": "subscribe", "channel": "secrets"}, "unknown_channel"),
    "unknown_calculation_type": ({**calculate(), "calculation_type": "ponzi"},
                                 "unknown_calculation_type"),
    # wrong types and ranges, field by field
    "subscribe_channel_int": ({"type": "subscribe", "channel": 1}, "invalid_message"),
    "subscribe_since_seq_string": ({"type": "subscribe", "channel": "system",
                                    "since_seq": "1"}, "invalid_message"),
    "subscribe_since_seq_negative": ({"type": "subscribe", "channel": "system",
                                      "since_seq": -1}, "invalid_message"),
    "subscribe_epoch_int": ({"type": "subscribe", "channel": "system", "since_seq": 1,
                             "epoch": 5}, "invalid_message"),
    "subscribe_conflate_string": ({"type": "subscribe", "channel": "system",
                                   "conflate": "no"}, "invalid_message"),
    "unsubscribe_channel_array": ({"type": "unsubscribe", "channel": ["system"]},
                                  "invalid_message"),
    "calculate_type_int": ({**calculate(), "calculation_type": 1}, "invalid_message"),
    "calculate_parameters_array": ({**calculate(), "parameters": [1]}, "invalid_message"),
    "calculate_parameters_missing": ({"type": "calculate", "calculation_type": "npv"},
                                     "invalid_message"),
    "calculate_id_int": ({**calculate(), "calculation_id": 7}, "invalid_message"),
    "calculate_id_65_chars": ({**calculate(), "calculation_id": "c" * 65}, "invalid_message"),
    "calculate_live_string": ({**calculate(), "live": "yes"}, "invalid_message"),
    "cash_flows_string": (calculate(cash_flows="100"), "invalid_parameters"),
    "cash_flows_mixed": (calculate(cash_flows=[1, "2"]), "invalid_parameters"),
    "cash_flows_empty": (calculate(cash_flows=[]), "invalid_parameters"),
    "cash_flows_10001": (calculate(cash_flows=TEN_THOUSAND + [1.0]), "invalid_parameters"),
    "discount_rate_word": (calculate(discount_rate="low"), "invalid_parameters"),
    "discount_rate_minus_one": (calculate(discount_rate=-1), "invalid_parameters"),
    "initial_investment_string": (calculate(initial_investment="250"), "invalid_parameters"),
    "initial_investment_missing": (calculate(initial_investment=None), "invalid_parameters"),
    "volatility_bool": (monte_carlo(volatility=True), "invalid_parameters"),
    "volatility_negative": (monte_carlo(volatility=-0.1), "invalid_parameters"),
    "iterations_fraction": (monte_carlo(iterations=1.5), "invalid_parameters"),
    "iterations_zero": (monte_carlo(iterations=0), "invalid_parameters"),
    "iterations_over_limit": (monte_carlo(iterations=10_000_001), "invalid_parameters"),
    "seed_string": (monte_carlo(seed="42"), "invalid_parameters"),
    "variation_string": ({**calculate(variation="x"), "calculation_type": "sensitivity"},
                         "invalid_parameters"),
    "cancel_id_int": ({"type": "cancel", "calculation_id": 1}, "invalid_message"),
    "cancel_id_missing": ({"type": "cancel"}, "invalid_message"),
    "auth_token_int": ({"type": "auth", "token": 1}, "invalid_message"),
    "alert_id_int": (alert(alert_id=1), "invalid_message"),
    "alert_metric_int": (alert(metric=1), "invalid_message"),
    "alert_metric_unknown": (alert(metric="gold_price"), "invalid_parameters"),
    "alert_condition_int": (alert(condition=1), "invalid_message"),
    "alert_threshold_string": (alert(threshold="0.5"), "invalid_message"),
    "remove_alert_id_null": ({"type": "remove_alert", "alert_id": None}, "invalid_message"),
    "history_channel_int": ({"type": "history", "channel": 2}, "invalid_message"),
    "history_since_seq_string": ({"type": "history", "channel": "system", "since_seq": "1"},
                                 "invalid_message"),
    "history_from_int": ({"type": "history", "channel": "system", "from": 1},
                         "invalid_message"),
    "history_from_not_a_time": ({"type": "history", "channel": "system", "from": "yesterday"},
                                "invalid_parameters"),
    "history_to_bool": ({"type": "history", "channel": "system", "to": True},
                        "invalid_message"),
    "history_limit_string": ({"type": "history", "channel": "system", "limit": "5"},
                             "invalid_message"),
    "history_limit_5000": ({"type": "history", "channel": "system", "limit": 5000},
                           "invalid_parameters"),
}


def http(request_line, headers=(), body=b"", host="HOST"):
    """Raw request bytes. "HOST" stands for the server's address (filled in by the test);
    `host=None` sends no Host header."""
    lines = [request_line] + ([f"Host: {host}"] if host else []) + list(headers)
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def upgrade(*headers, version="1.1"):
    """An upgrade request with `headers` added; a header given as "Name:" is left out."""
    fields = {"Upgrade": "websocket", "Connection": "Upgrade",
              "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13"}
    for header in headers:
        name, _, value = header.partition(":")
        fields[name] = value.strip()
    lines = [f"{name}: {value}" for name, value in fields.items() if value]
    return http(f"GET /ws HTTP/{version}", lines)


BODY = b'{"message":"hi"}'
SMUGGLED = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"


def post(content_type, body, *headers):
    return http("POST /api/notifications HTTP/1.1",
                [f"Content-Type: {content_type}", f"Content-Length: {len(body)}", *headers],
                body)


# HTTP requests (before any upgrade): (bytes, expected status, a header line the response
# must carry). Requests the server keeps alive after say Connection: close.
HTTP = {
    "transfer_encoding_gzip_with_body": (http(
        "POST /api/notifications HTTP/1.1", ["Transfer-Encoding: gzip"], SMUGGLED), 400, None),
    "transfer_encoding_twice": (http(
        "POST /api/notifications HTTP/1.1",
        ["Transfer-Encoding: chunked", "Transfer-Encoding: chunked"], b"0\r\n\r\n"), 400, None),
    "content_length_and_chunked": (http(
        "POST /api/notifications HTTP/1.1",
        ["Content-Length: 5", "Transfer-Encoding: chunked"], b"0\r\n\r\n"), 400, None),
    "bad_chunk_size": (http("POST /api/notifications HTTP/1.1",
                            ["Transfer-Encoding: chunked"], b"zz\r\n"), 400, None),
    "missing_host": (http("GET /health HTTP/1.1", host=None), 400, None),
    "duplicate_host": (http("GET /health HTTP/1.1", ["Host: other"]), 400, None),
    "garbage_request": (b"\x16\x03\x01\x00\xff garbage\r\n\r\n", 400, None),
    "garbage_before_upgrade": (b"hello\r\n" + upgrade(), 400, None),
    "header_over_16_kib": (http("GET /health HTTP/1.1", ["X-Pad: " + "x" * 17000]), 413,
                           None),
    "body_over_limit": (http("POST /api/notifications HTTP/1.1",
                             ["Content-Type: application/json", "Content-Length: 65537"]),
                        413, None),
    "asterisk_target": (http("OPTIONS * HTTP/1.1"), 400, None),
    "post_text_plain": (post("text/plain", BODY), 415, None),
    "post_form_urlencoded": (post("application/x-www-form-urlencoded", BODY), 415, None),
    "post_lone_surrogate": (post("application/json", b'{"message":"\\udc00"}'), 400, None),
    "post_invalid_json": (post("application/json", b'{"message":'), 400, None),
    "post_empty_message": (post("application/json", b'{"message":""}'), 400, None),
    "post_unknown_level": (post("application/json", b'{"message":"m","level":"panic"}'), 400,
                           None),
    "get_notifications": (http("GET /api/notifications HTTP/1.1", ["Connection: close"]), 405,
                          "Allow: POST"),
    "path_traversal": (http("GET /../../../etc/passwd HTTP/1.1", ["Connection: close"]), 404,
                       None),
    "encoded_path_traversal": (http("GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1",
                                    ["Connection: close"]), 404, None),
    "head_is_get_without_body": (http("HEAD /health HTTP/1.1", ["Connection: close"]), 200,
                                 None),
    "absolute_form_target": (http("GET http://HOST/health HTTP/1.1", ["Connection: close"]),
                             200, None),
    "key_15_bytes": (upgrade("Sec-WebSocket-Key: " + base64.b64encode(b"k" * 15).decode()),
                     400, None),
    "key_17_bytes": (upgrade("Sec-WebSocket-Key: " + base64.b64encode(b"k" * 17).decode()),
                     400, None),
    "key_not_base64": (upgrade("Sec-WebSocket-Key: !!!!!!!!!!!!!!!!!!!!!!=="), 400, None),
    "key_missing": (upgrade("Sec-WebSocket-Key:"), 400, None),
    "version_8": (upgrade("Sec-WebSocket-Version: 8"), 426, "Sec-WebSocket-Version: 13"),
    "version_missing": (upgrade("Sec-WebSocket-Version:"), 426, "Sec-WebSocket-Version: 13"),
    "cross_origin": (upgrade("Origin: https://evil.example"), 403, None),
    "origin_null": (upgrade("Origin: null"), 403, None),
    "upgrade_over_http_1_0": (upgrade(version="1.0"), 400, None),
    "ws_without_upgrade": (http("GET /ws HTTP/1.1"), 426, "Sec-WebSocket-Version: 13"),
}
