"""What the cluster tests share: ports, a Cluster of real rtd-server processes by name, and
waits on the membership a node shows in system_status. Every wait has a deadline."""

import contextlib
import os
import signal
import socket

import pytest

from conftest import require_binary
from support import ServerProcess, connect, server_args

DETECTION_BOUND = 3.0  # seconds, for the default --cluster-timeout-ms=2000
JOIN_TIMEOUT = 10.0


def free_base(count, start=20000):
    """The first of `count` consecutive ports from `start` on that nothing listens on now."""
    for base in range(start, 60000, 97):
        try:
            with contextlib.ExitStack() as stack:
                for port in range(base, base + count):
                    stack.enter_context(socket.create_server(("127.0.0.1", port)))
            return base
        except OSError:
            continue
    raise AssertionError("no free port range")


def free_ports(count):
    """Ports nothing listens on now (bound and released); cluster ports must be known
    before a node starts, since the others join it there."""
    with contextlib.ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]


def report_of(output):
    """What to show of a node that exited badly: a sanitizer's report from its first line
    (its direct leaks come first; the tail alone showed only indirect ones), else the tail."""
    start = output.find("==ERROR: ")
    return output[start:start + 12000] if start >= 0 else output[-3000:]


class Cluster:
    """Nodes by name; at teardown every live one gets SIGCONT and SIGTERM and must exit 0."""

    def __init__(self, root):
        self.root = root
        self.nodes = {}
        self.ports = {}

    def start(self, name, join=(), env=None, **flags):
        if name not in self.ports:
            self.ports[name] = free_ports(1)[0]
        flags.setdefault("system_interval_ms", 200)
        args = server_args(self.root / name, node_name=name, cluster_port=self.ports[name],
                           **flags)
        args += [f"--join={self.address(other)}" for other in join]
        os.makedirs(self.root / name, exist_ok=True)
        node = ServerProcess(args, env=env)
        self.nodes[name] = node
        return node

    def address(self, name):
        return f"127.0.0.1:{self.ports[name]}"

    def kill(self, name):
        node = self.nodes.pop(name)
        node.process.kill()
        node.process.wait(5)
        return node

    def stop_all(self):
        failures = []
        for name, node in self.nodes.items():
            with contextlib.suppress(ProcessLookupError):
                node.process.send_signal(signal.SIGCONT)
            code = node.stop()
            if code != 0:
                failures.append(f"{name} exited with {code}:\n{report_of(node.output())}")
        assert not failures, "\n".join(failures)


@pytest.fixture
def cluster(tmp_path):
    require_binary()
    nodes = Cluster(tmp_path)
    yield nodes
    nodes.stop_all()


def three(cluster, **flags):
    """n1, then n2 and n3 joining n1: n1 is the oldest."""
    cluster.start("n1", **flags)
    cluster.start("n2", join=["n1"], **flags)
    cluster.start("n3", join=["n1"], **flags)
    return [cluster.nodes[n] for n in ("n1", "n2", "n3")]


def membership(status):
    """{name: (status, leader)} from a system_status."""
    return {n["node"]: (n["status"], n["leader"]) for n in status["data"]["cluster"]["nodes"]}


async def wait_for_membership(node, expected, timeout=JOIN_TIMEOUT):
    """The first system_status of `node` whose members are `expected` ({name: (status,
    leader)}); returns it."""
    async with connect(node) as client:
        await client.subscribe("system")
        return await client.until("system_status", lambda m: membership(m) == expected, timeout,
                                  skip=("system_status",))


def all_up(names, leader):
    return {n: ("up", n == leader) for n in names}
