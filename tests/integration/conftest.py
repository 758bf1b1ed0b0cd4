"""Fixtures: start the real rtd-server binary, stop it with SIGTERM and check it exits 0.

The binary is $RTD_SERVER, default build/rtd-server of this repository. Run with
    /usr/bin/python3 -m pytest -q tests/integration
"""

import os

import pytest

from support import SERVER_BINARY, ServerProcess, server_args


class Servers:
    """Starts servers on free ports; stop_all() SIGTERMs them and checks exit code 0."""

    def __init__(self, data_root):
        self.data_root = data_root
        self.servers = []

    def start(self, ssl_context=None, popen=None, wrapper=(), **flags):
        """`popen`: extra subprocess.Popen arguments (env, preexec_fn); `wrapper`: a command
        that runs the server (its arguments follow), e.g. in a mount namespace."""
        flags.setdefault("data_dir", self.data_root / f"data{len(self.servers)}")
        os.makedirs(flags["data_dir"], exist_ok=True)
        server = ServerProcess([*wrapper, *server_args(**flags)], ssl_context=ssl_context,
                               **(popen or {}))
        self.servers.append(server)
        return server

    def kill(self, server):
        """SIGKILLs `server` (a crash: nothing is flushed, nothing closed) and forgets it."""
        server.process.kill()
        server.process.wait()
        self.servers.remove(server)

    def stop_all(self):
        failures = []
        for server in self.servers:
            try:
                code = server.stop()
            except AssertionError as exc:
                failures.append(str(exc))
                continue
            if code != 0:
                failures.append(f"server exited with {code}:\n{server.output()[-4000:]}")
        assert not failures, "\n".join(failures)


def require_binary():
    if not os.access(SERVER_BINARY, os.X_OK):
        pytest.skip(f"no server binary at {SERVER_BINARY} (set RTD_SERVER)")


@pytest.fixture
def start_server(tmp_path):
    """Factory: start_server(market_interval_ms=50, ...) -> ServerProcess on a free port,
    with its own data directory unless data_dir is given. Stopped and checked at teardown."""
    require_binary()
    servers = Servers(tmp_path)
    yield servers.start
    servers.stop_all()


@pytest.fixture
def servers(tmp_path):
    """The Servers behind start_server, for tests that also kill one (servers.kill)."""
    require_binary()
    started = Servers(tmp_path)
    yield started
    started.stop_all()


FAST = {"market_interval_ms": 100, "system_interval_ms": 200}


@pytest.fixture
def server(start_server):
    """A fresh server with fast publications, for tests that need no special flags."""
    return start_server(**FAST)


@pytest.fixture(scope="module")
def start_module_server(tmp_path_factory):
    """Factory like start_server, for servers that serve a whole module of tests."""
    require_binary()
    servers = Servers(tmp_path_factory.mktemp("module"))
    yield servers.start
    servers.stop_all()


@pytest.fixture(scope="module")
def shared_server(start_module_server):
    """One server for a whole module of tests that leave no state behind (errors, pings)."""
    return start_module_server(**FAST)
