"""deploy/nginx/rtd.conf, rendered by render.sh, in Debian's nginx in front of a real rtd-server.

nginx accepts the config; HTTP routes reach the node, a node that refuses connections is
skipped, the dashboard comes from nginx's own root, and a WebSocket upgrade through nginx gets
the node's welcome and then live traffic both ways.

    RTD_SERVER=build/rtd-server RTD_STATIC_DIR=build/static /usr/bin/python3 -m pytest tests/nginx
"""

import http.client
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

ROOT = pathlib.Path(__file__).parents[2]
sys.path.insert(0, str(ROOT / "tests" / "integration"))

from support import (TIMEOUT, LoggedProcess, ServerProcess, assert_consecutive,  # noqa: E402
                     connect, run, server_args)

RENDER = ROOT / "deploy" / "nginx" / "render.sh"
STATIC_DIR = pathlib.Path(os.environ.get("RTD_STATIC_DIR", ROOT / "build" / "static"))
NGINX = "/usr/sbin/nginx"
NGINX_ONLY = "nginx-only.txt"


def free_port():
    """A port nothing listens on now (nginx cannot report a port it picked itself)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render(folder, static_dir, listen_port, *node_ports):
    conf = folder / "nginx.conf"
    conf.write_text(subprocess.run([RENDER, str(listen_port), *map(str, node_ports)],
                                   capture_output=True, text=True, check=True,
                                   env={**os.environ, "RTD_STATIC_DIR": str(static_dir)}).stdout)
    return conf


def wait_for_port(port, process, timeout=TIMEOUT):
    """Returns once `port` accepts connections; fails if `process` exits first."""
    deadline = time.monotonic() + timeout
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        assert process.process.poll() is None, f"nginx exited:\n{process.output()}"
        assert time.monotonic() < deadline, f"nginx not listening on {port}:\n{process.output()}"
        time.sleep(0.02)


class Proxy:
    """What support's helpers need of a server: where nginx listens."""

    def __init__(self, port):
        self.host, self.port = "127.0.0.1", port
        self.tls = False
        self.ws_url = f"ws://127.0.0.1:{port}/ws"


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    server = ServerProcess(server_args(tmp_path_factory.mktemp("node"),
                                       system_interval_ms=100))
    yield server
    assert server.stop() == 0, server.output()


@pytest.fixture(scope="module")
def proxy(node, tmp_path_factory):
    """nginx on a free port with two nodes: the server, and a port where nothing listens. Its
    root is a copy of the dashboard with one more file, which the node does not have."""
    folder = tmp_path_factory.mktemp("nginx")
    static = shutil.copytree(STATIC_DIR, folder / "static")
    (static / NGINX_ONLY).write_text("served by nginx\n")
    port = free_port()
    conf = render(folder, static, port, free_port(), node.port)
    nginx = LoggedProcess([NGINX, "-c", str(conf), "-p", str(folder)])
    wait_for_port(port, nginx)
    yield Proxy(port)
    # SIGQUIT: graceful shutdown, workers finish what they serve, then the master exits 0.
    assert nginx.stop(signal.SIGQUIT) == 0, nginx.output()


def test_nginx_accepts_rendered_config(tmp_path):
    conf = render(tmp_path, STATIC_DIR, 8080, 8001, 8002, 8003)
    result = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "test is successful" in result.stderr, result.stderr


def test_health_through_nginx_skips_the_refusing_node(proxy, node):
    # least_conn alternates between the two nodes; every request still reaches the live one.
    for _ in range(6):
        status, _, body = get(proxy.port, "/health")
        assert status == 200, body
        assert json.loads(body)["node"] == json.loads(get(node.port, "/health")[2])["node"]


def test_dashboard_served_by_nginx(proxy, node):
    for path in ("realtime_dashboard.html", "vendor/uPlot.iife.min.js"):
        url = "/" if path == "realtime_dashboard.html" else f"/{path}"
        status, _, body = get(proxy.port, url)
        assert status == 200 and body == (STATIC_DIR / path).read_bytes(), path
    # From nginx's root, not proxied: the node has no such file.
    assert get(proxy.port, f"/{NGINX_ONLY}")[:1] == (200,)
    assert get(node.port, f"/{NGINX_ONLY}")[:1] == (404,)


def test_websocket_through_nginx(proxy, node):
    async def scenario():
        async with connect(proxy) as client:
            assert client.welcome["node"] == json.loads(get(node.port, "/health")[2])["node"]
            await client.subscribe("system")
            assert_consecutive(await client.publications("system_status", 3))
            await client.ping_ok()
    run(scenario())
