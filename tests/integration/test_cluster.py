"""Clusters of real rtd-server processes on 127.0.0.1: membership, leader choice, loss of a
node (kill -9, SIGSTOP) within the bound, rejoin, /ready, refusals, TLS node links.

Every wait has a deadline. The bound is the default --cluster-timeout-ms (2 s) plus a
heartbeat (0.5 s) plus slack for a loaded machine: 3 s."""

import contextlib
import os
import signal
import socket
import ssl
import subprocess
import time

import pytest

from cluster_support import (DETECTION_BOUND, JOIN_TIMEOUT, all_up, cluster, free_base,  # noqa: F401
                             free_ports, three, wait_for_membership)
from conftest import require_binary
from support import REPO_ROOT, SERVER_BINARY, connect, http_request, run, server_args


def ready(node):
    """GET /ready: (status, body)."""
    status, _, body = http_request(node, "GET", "/ready")
    return status, body


async def notification_about(client, text, timeout, since=None):
    """The first cluster notification containing `text`; returns (message, seconds since
    `since`, a time.monotonic(), by default now)."""
    since = time.monotonic() if since is None else since
    message = await client.until("notification",
                                 lambda m: m["notification_type"] == "cluster"
                                 and text in m["message"], timeout, skip=("notification",))
    return message, time.monotonic() - since


def test_three_nodes_form_a_cluster_and_agree_on_the_leader(cluster):
    nodes = three(cluster)

    async def scenario():
        for node in nodes:
            status = await wait_for_membership(node, all_up(["n1", "n2", "n3"], "n1"))
            for member in status["data"]["cluster"]["nodes"]:
                assert isinstance(member["connections"], int), member
        for node in nodes:  # joined: each has met the others
            assert ready(node) == (200, b'{"status":"ready"}')

    run(scenario())


def test_a_killed_member_is_down_within_the_bound_and_rejoins(cluster):
    n1, n2, _ = three(cluster)

    async def scenario():
        await wait_for_membership(n1, all_up(["n1", "n2", "n3"], "n1"))
        await wait_for_membership(n2, all_up(["n1", "n2", "n3"], "n1"))
        async with connect(n1) as watcher:
            await watcher.subscribe("notifications")
            killed = time.monotonic()
            cluster.kill("n3")
            message, seconds = await notification_about(
                watcher, f"node n3 ({cluster.address('n3')}) is down", DETECTION_BOUND, killed)
            assert message["level"] == "warning", message
            print(f"kill -9 detected in {seconds * 1000:.0f} ms")
            down = {"n1": ("up", True), "n2": ("up", False), "n3": ("down", False)}
            await wait_for_membership(n1, down, DETECTION_BOUND)
            await wait_for_membership(n2, down, DETECTION_BOUND)
            # Restarted, it rejoins; it is the youngest now, so the leader stays n1.
            again = cluster.start("n3", join=["n1", "n2"])
            await notification_about(watcher, f"node n3 ({cluster.address('n3')}) rejoined",
                                     JOIN_TIMEOUT)
            for node in (n1, n2, again):
                await wait_for_membership(node, all_up(["n1", "n2", "n3"], "n1"))

    run(scenario())


@pytest.mark.parametrize("timeout_ms", [None, 1000])
def test_a_hung_member_is_down_within_the_bound(cluster, timeout_ms):
    flags = {"cluster_timeout_ms": timeout_ms} if timeout_ms else {}
    # The bound: the timeout, plus a heartbeat interval (a quarter of it), plus slack.
    bound = DETECTION_BOUND if timeout_ms is None else timeout_ms * 1.25 / 1000 + 0.5
    n1, n2, n3 = three(cluster, **flags)

    async def scenario():
        for node in (n1, n2, n3):
            await wait_for_membership(node, all_up(["n1", "n2", "n3"], "n1"))
        async with connect(n1) as watcher:
            await watcher.subscribe("notifications")
            stopped = time.monotonic()
            n2.process.send_signal(signal.SIGSTOP)
            try:
                _, seconds = await notification_about(
                    watcher, f"node n2 ({cluster.address('n2')}) is down", bound, stopped)
                print(f"SIGSTOP detected in {seconds * 1000:.0f} ms ({flags or 'default'})")
                await wait_for_membership(
                    n3, {"n1": ("up", True), "n2": ("down", False), "n3": ("up", False)},
                    bound)
            finally:
                n2.process.send_signal(signal.SIGCONT)
            # Resumed, it finds itself cut off and rejoins as the youngest: n1 still leads.
            for node in (n1, n2, n3):
                await wait_for_membership(node, all_up(["n1", "n2", "n3"], "n1"))

    run(scenario())


def test_a_killed_leader_is_succeeded_by_the_next_oldest(cluster):
    n1, n2, n3 = three(cluster)

    async def scenario():
        for node in (n1, n2, n3):
            await wait_for_membership(node, all_up(["n1", "n2", "n3"], "n1"))
        async with connect(n3) as watcher:
            await watcher.subscribe("notifications")
            killed = time.monotonic()
            cluster.kill("n1")
            _, seconds = await notification_about(watcher, "cluster leader is now n2 (was n1)",
                                                  DETECTION_BOUND, killed)
            print(f"new leader after kill -9 of the leader in {seconds * 1000:.0f} ms")
        after = {"n1": ("down", False), "n2": ("up", True), "n3": ("up", False)}
        await wait_for_membership(n2, after, DETECTION_BOUND)
        await wait_for_membership(n3, after, DETECTION_BOUND)

    run(scenario())


def test_ready_is_503_until_the_node_has_joined(cluster):
    cluster.ports["seed"] = free_ports(1)[0]
    joiner = cluster.start("joiner", join=["seed"])
    assert ready(joiner) == (503, b'{"status":"joining"}')
    status, _, _ = http_request(joiner, "GET", "/health")
    assert status == 200  # alive, just not ready
    cluster.start("seed")
    joiner.wait_for_line(r"cluster_member: node seed \(.*\) is up", JOIN_TIMEOUT)
    assert ready(joiner) == (200, b'{"status":"ready"}')


def test_a_node_of_another_application_is_refused(cluster):
    n1 = cluster.start("n1")
    other = cluster.start("other", join=["n1"],
                          **{"middleman.app-identifiers": "not-rtd"})
    other.wait_for_line(r"cluster_refused: the member at 127\.0\.0\.1:\d+ and this node cannot "
                        r"form a cluster: its middleman.app-identifiers share none", JOIN_TIMEOUT)
    assert ready(other) == (503, b'{"status":"joining"}')
    run(wait_for_membership(n1, all_up(["n1"], "n1")))


@pytest.mark.parametrize("flags, message", [
    ({"join": "127.0.0.1:7001"}, "--join needs this node's own --cluster-port"),
    ({"cluster_port": 7001, "join": "somewhere"}, "--join=somewhere is not host:port"),
    ({"cluster_port": 7001, "cluster_host": "0.0.0.0"}, "is a wildcard"),
    ({"cluster_port": 7001, "cluster_host": "10.1.2.3"}, "node links that leave this machine "
                                                         "need TLS"),
    ({"cluster_port": 7001, "join": "10.1.2.3:7001"}, "node links that leave this machine"),
    ({"cluster_port": 7001, "cluster_tls_cert": "x.pem"}, "go together"),
    ({"cluster_port": 7001, "cluster_timeout_ms": 100}, "--cluster-timeout-ms must be between"),
])
def test_bad_cluster_options_are_refused_at_start(tmp_path, flags, message):
    require_binary()
    result = subprocess.run(server_args(tmp_path, **flags), capture_output=True, text=True,
                            timeout=10)
    assert result.returncode == 2, result
    assert message in result.stderr, result.stderr


def make_certificates(directory):
    """A CA, and a node certificate it signed (for 127.0.0.1), made with the openssl CLI."""
    def openssl(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=directory)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=rtd CA",
            "-keyout", "ca.key", "-out", "ca.pem")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=rtd node", "-keyout",
            "node.key", "-out", "node.csr")
    (directory / "ext.cnf").write_text("subjectAltName=IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "node.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "2", "-extfile", "ext.cnf", "-out", "node.pem")
    return {"cluster_tls_cert": directory / "node.pem", "cluster_tls_key": directory / "node.key",
            "cluster_tls_ca": directory / "ca.pem"}


def bad_clients(port, ca):
    """What a TLS port meets in the wild: a TLS client with no certificate, and plain bytes."""
    context = ssl.create_default_context(cafile=str(ca))
    context.check_hostname = False
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
            with contextlib.suppress(ssl.SSLError, OSError):
                with context.wrap_socket(raw) as tls:
                    tls.sendall(b"x")
                    tls.recv(1)  # the server's refusal (TLS 1.3 checks the client late)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as plain:
            plain.sendall(b"GET / HTTP/1.1\r\n\r\n")
            with contextlib.suppress(OSError):
                plain.recv(1)


def test_nodes_link_over_tls_and_refuse_what_has_no_certificate(cluster, tmp_path):
    tls = make_certificates(tmp_path)
    n1 = cluster.start("n1", **tls)
    n2 = cluster.start("n2", join=["n1"], **tls)
    both = all_up(["n1", "n2"], "n1")
    run(wait_for_membership(n1, both))
    plain = cluster.start("plain", join=["n1"])
    plain.wait_for_line(rf"cannot reach the member at {cluster.address('n1')}", JOIN_TIMEOUT)
    bad_clients(cluster.ports["n1"], tls["cluster_tls_ca"])
    # A healthy link survives them (CAF 0.17.6 alone would drop it: see
    # server/openssl_error_queue.cpp); the next status still shows both up.
    run(wait_for_membership(n1, both))
    run(wait_for_membership(n2, both))
    for node in (n1, n2):
        assert " is down" not in node.output(), node.output()
    assert ready(plain)[0] == 503


def test_the_local_cluster_script_starts_reports_and_stops_nodes(tmp_path):
    require_binary()
    script = os.path.join(REPO_ROOT, "deploy", "cluster.sh")
    http_base = free_base(3)
    cluster_base = free_base(3, http_base + 3)
    def cluster_sh(command):
        return subprocess.run([script, command, "3", "--dir", str(tmp_path), "--http-base",
                               str(http_base), "--cluster-base", str(cluster_base)],
                              capture_output=True, text=True, timeout=60,
                              env={**os.environ, "RTD_SERVER": SERVER_BINARY})
    started = cluster_sh("start")  # returns once every node is ready
    try:
        assert started.returncode == 0, started.stderr
        pids = [int((tmp_path / f"node-{i}" / "pid").read_text()) for i in (1, 2, 3)]
        status = cluster_sh("status").stdout
        for i in (1, 2, 3):
            assert f"node-{i}  pid {pids[i - 1]}" in status, status
            assert f"http 127.0.0.1:{http_base + i - 1}" in status, status
        assert status.count('/ready  200 {"status":"ready"}') == 3, status
        assert status.count('/health 200 {"status":"ok"') == 3, status
        again = cluster_sh("start")
        assert again.returncode == 1 and "running already" in again.stderr, again
    finally:
        stopped = cluster_sh("stop")
    assert stopped.returncode == 0, stopped.stderr
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert cluster_sh("status").stdout.count("/ready  unreachable") == 3
