"""Out of file descriptors: the accept loop backs off instead of spinning, the log stays
short, and the server serves again once descriptors are free."""

import resource
import socket
import time

import pytest

from support import SANITIZED, connect, run


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / 100.0


@pytest.mark.skipif(SANITIZED, reason="the sanitizers need descriptors too: UBSan reads its "
                    "suppressions at its first report and tests memory through a pipe")
def test_descriptor_exhaustion_backs_off_and_recovers(start_server):
    limit = (64, 64)
    server = start_server(popen={"preexec_fn": lambda: resource.setrlimit(
        resource.RLIMIT_NOFILE, limit)})
    idle = []
    try:
        for _ in range(80):  # more than the server can hold: accept() fails with EMFILE
            idle.append(socket.create_connection((server.host, server.port), timeout=5))
        lines_before = len(server.output().splitlines())
        start_cpu, start = cpu_seconds(server.process.pid), time.monotonic()
        deadline = start + 2
        while time.monotonic() < deadline:  # observe for two seconds; nothing to await
            time.sleep(0.1)
        busy = (cpu_seconds(server.process.pid) - start_cpu) / (time.monotonic() - start)
        assert busy < 0.5, f"the server spins at {busy:.0%} of a core"
        new_lines = len(server.output().splitlines()) - lines_before
        assert new_lines < 10, server.output()[-2000:]
        assert "accept_failed" in server.output() or "accept failed" in server.output()
    finally:
        for s in idle:
            s.close()

    async def served():
        deadline = time.monotonic() + 10
        while True:
            try:
                async with connect(server) as client:
                    await client.ping_ok()
                    return
            except (OSError, AssertionError, TimeoutError):
                assert time.monotonic() < deadline, "not served after descriptors were freed"
    run(served())
