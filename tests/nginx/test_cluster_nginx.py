"""deploy/cluster.sh --nginx: three clustered nodes behind Debian's nginx. Clients through
nginx receive the market; when the node behind one is killed, the client reconnects through
nginx to another node and recovers with since_seq, with no gap and no duplicate."""

import os
import pathlib
import signal
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).parents[2]
sys.path.insert(0, str(ROOT / "tests" / "integration"))

from cluster_support import free_base  # noqa: E402
from support import SERVER_BINARY, assert_consecutive, connect, run  # noqa: E402
from test_nginx import STATIC_DIR, Proxy  # noqa: E402

SCRIPT = ROOT / "deploy" / "cluster.sh"


@pytest.fixture
def behind_nginx(tmp_path):
    http_base = free_base(3)
    cluster_base = free_base(3, http_base + 3)
    nginx_port = free_base(1, cluster_base + 3)

    def cluster_sh(command):
        return subprocess.run(
            [SCRIPT, command, "3", "--dir", str(tmp_path), "--http-base", str(http_base),
             "--cluster-base", str(cluster_base), "--nginx", "--nginx-port", str(nginx_port),
             "--", "--market-interval-ms=100"],
            capture_output=True, text=True, timeout=60,
            env={**os.environ, "RTD_SERVER": SERVER_BINARY, "RTD_STATIC_DIR": str(STATIC_DIR)})

    started = cluster_sh("start")
    try:
        assert started.returncode == 0, started.stderr
        assert f"nginx   pid {(tmp_path / 'nginx' / 'pid').read_text().strip()}" in started.stdout
        yield Proxy(nginx_port), tmp_path
    finally:
        stopped = cluster_sh("stop")
    assert stopped.returncode == 0, stopped.stderr
    assert not (tmp_path / "nginx" / "pid").exists()


def test_a_client_through_nginx_recovers_on_another_node(behind_nginx):
    proxy, folder = behind_nginx

    async def scenario():
        # least_conn spreads the first clients over the nodes: keep the one on node-3, the
        # youngest (not the leader, whose loss would start a new epoch).
        clients = []
        try:
            for _ in range(6):
                manager = connect(proxy)
                clients.append((manager, await manager.__aenter__()))
                if clients[-1][1].welcome["node"] == "node-3":
                    break
            victim = clients[-1][1]
            assert victim.welcome["node"] == "node-3", [c.welcome["node"] for _, c in clients]
            await victim.subscribe("market_data")
            before = await victim.publications("market_update", 5)
            pid = int((folder / "node-3" / "pid").read_text())
            os.kill(pid, signal.SIGKILL)
            await victim.close_code()  # nginx closes it within the deadline
        finally:
            for manager, _ in clients:
                await manager.__aexit__(None, None, None)
        last = before[-1]
        async with connect(proxy) as again:
            assert again.welcome["node"] != "node-3", again.welcome
            ack = await again.subscribe("market_data", since_seq=last["seq"],
                                        epoch=last["epoch"])
            assert ack["recovered"] is True, ack
            after = await again.publications("market_update", 5)
        assert_consecutive(before + after)

    run(scenario())
