"""HTTP routes on the WebSocket port."""

import json
import select
import socket

from support import TIMEOUT, TIMESTAMP, check_publication, connect, http_request, \
    read_http_response, run


def test_health(shared_server):
    status, headers, body = http_request(shared_server, "GET", "/health")
    assert status == 200, body
    assert "application/json" in headers.get("Content-Type", ""), headers
    assert json.loads(body)["status"] == "ok", body


def test_ready(shared_server):
    status, _, body = http_request(shared_server, "GET", "/ready")
    assert status == 200, body


def test_unknown_path_is_404(shared_server):
    for path in ("/no-such-thing", "/api/nope", "/health/extra"):
        status, _, _ = http_request(shared_server, "GET", path)
        assert status == 404, path


def test_post_notification_is_published(shared_server):
    async def scenario():
        async with connect(shared_server) as subscriber:
            await subscriber.subscribe("notifications")
            body = {"message": "System update completed", "level": "success",
                    "notification_type": "system"}
            status, headers, raw = http_request(shared_server, "POST", "/api/notifications", body)
            assert status == 202, raw
            published = json.loads(raw)
            check_publication(published, "notifications", "notification")
            for key, value in body.items():
                assert published[key] == value, published
            assert TIMESTAMP.match(published["timestamp"])
            received = await subscriber.until(
                "notification", lambda n: n["message"] == "System update completed")
            assert received == published
            await subscriber.ping_ok()
    run(scenario())


def test_post_notification_bad_json_is_400(shared_server):
    status, _, _ = http_request(shared_server, "POST", "/api/notifications", "{not json",
                                {"Content-Type": "application/json"})
    assert status == 400


def test_post_notification_with_bad_fields_is_400(shared_server):
    for body in ({"level": "info", "notification_type": "info"},
                 {"message": "m", "level": "bogus", "notification_type": "info"},
                 {"message": 5, "level": "info", "notification_type": "info"},
                 ["not", "an", "object"]):
        status, _, raw = http_request(shared_server, "POST", "/api/notifications", body)
        assert status == 400, (body, status, raw)


def test_malformed_http_is_400(shared_server):
    with socket.create_connection((shared_server.host, shared_server.port), TIMEOUT) as sock:
        sock.sendall(b"THIS IS NOT HTTP AT ALL\r\n\r\n")
        status, _ = read_http_response(sock)
    assert status == 400
    # The server carries on.
    assert http_request(shared_server, "GET", "/health")[0] == 200


def test_huge_body_is_413(shared_server):
    size = 64 << 20
    with socket.create_connection((shared_server.host, shared_server.port), TIMEOUT) as sock:
        sock.sendall((f"POST /api/notifications HTTP/1.1\r\nHost: x\r\n"
                      f"Content-Type: application/json\r\nContent-Length: {size}\r\n\r\n"
                      ).encode())
        # Send the body until the server answers (it may answer from the headers alone).
        chunk, sent = b" " * 65536, 0
        try:
            while sent < size and not select.select([sock], [], [], 0)[0]:
                select.select([], [sock], [], TIMEOUT)
                sent += sock.send(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        status, _ = read_http_response(sock)
    assert status == 413
    assert http_request(shared_server, "GET", "/health")[0] == 200
