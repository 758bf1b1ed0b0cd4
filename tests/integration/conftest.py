"""Fixtures: start the real rtd-server binary per test, stop it with SIGTERM and check exit 0.

The binary is $RTD_SERVER, default /work/main/build/rtd-server. Run with
    /usr/bin/python3 -m pytest -q tests/integration
"""

import os

import pytest

from support import SERVER_BINARY, ServerProcess, server_args


@pytest.fixture
def start_server(tmp_path):
    """Factory: start_server(market_interval_ms=50, ...) -> ServerProcess on a free port.

    Each server gets its own data directory (unless data_dir is given). At teardown every
    server still running is SIGTERMed and must exit with code 0 within the deadline."""
    if not os.access(SERVER_BINARY, os.X_OK):
        pytest.skip(f"no server binary at {SERVER_BINARY} (set RTD_SERVER)")
    servers = []

    def start(**flags):
        flags.setdefault("data_dir", tmp_path / f"data{len(servers)}")
        os.makedirs(flags["data_dir"], exist_ok=True)
        server = ServerProcess(server_args(**flags))
        servers.append(server)
        return server

    yield start
    failures = []
    for server in servers:
        try:
            code = server.terminate()
        except AssertionError as exc:
            failures.append(str(exc))
            continue
        if code != 0:
            failures.append(f"server exited with {code}:\n{server.output()[-4000:]}")
    assert not failures, "\n".join(failures)


@pytest.fixture
def server(start_server):
    """A server with fast publications, for tests that need no special flags."""
    return start_server(market_interval_ms=100, system_interval_ms=200)
