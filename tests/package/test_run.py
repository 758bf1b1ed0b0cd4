"""The unpacked server runs with the packaged config and serves the packaged dashboard."""

import json
import re
import signal

from conftest import CONFIG, STATIC_DIR, server_args
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


def test_instance_config_sets_port_and_node_name(unpacked, tmp_path):
    """An rtd@ instance's config is the packaged one with port and node-name uncommented
    (deploy/README.md): the server takes both from it (port 0 there, not the default 8000)."""
    text = (unpacked / CONFIG).read_text()
    text, ports = re.subn(r"^; port = .*$", "port = 0", text, flags=re.M)
    text, names = re.subn(r"^; node-name = .*$", 'node-name = "host-a"', text, flags=re.M)
    assert (ports, names) == (1, 1), text
    config = tmp_path / "rtd-a.ini"
    config.write_text(text)
    server = ServerProcess(server_args(unpacked, tmp_path, config=config, port=None))
    try:
        assert server.port != 8000
        status, _, body = http_request(server, "GET", "/health")
        assert status == 200 and json.loads(body)["node"] == "host-a", body
    finally:
        assert server.stop(signal.SIGTERM) == 0, server.output()
