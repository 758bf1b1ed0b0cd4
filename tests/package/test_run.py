"""The unpacked server runs with the packaged config and serves the packaged dashboard."""

import json
import signal

from conftest import STATIC_DIR, server_args
from support import ServerProcess, http_request


def test_serves_dashboard_and_health_then_stops_on_sigterm(unpacked, tmp_path):
    server = ServerProcess(server_args(unpacked, tmp_path))
    try:
        status, headers, body = http_request(server, "GET", "/")
        assert status == 200, body[:300]
        assert headers.get("Content-Type", "").startswith("text/html"), headers
        assert body == (unpacked / STATIC_DIR / "realtime_dashboard.html").read_bytes()
        status, _, body = http_request(server, "GET", "/health")
        assert status == 200 and json.loads(body)["status"] == "ok", body
    finally:
        code = server.stop(signal.SIGTERM)
    assert code == 0, server.output()
