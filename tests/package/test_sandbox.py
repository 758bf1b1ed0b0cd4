"""What the units forbid, checked on a trace of the unpacked server doing its work.

The sandbox itself needs systemd as PID 1; strace shows instead every system call the server
makes while it serves HTTP, a WebSocket session, a Monte Carlo calculation with progress and a
posted notification, and each is checked against the unit's settings: a call outside
SystemCallFilter (which would get EPERM), a socket family outside RestrictAddressFamilies, an
executable mapping that MemoryDenyWriteExecute would refuse, /proc beyond ProcSubset=pid, a
write outside the state directory (and the private /tmp) that ProtectSystem=strict would
refuse.
"""

import os
import pathlib
import re
import shutil
import signal
import subprocess

import pytest

import support
from conftest import UNIT_DIR, server_args
from support import ServerProcess, connect, http_request

CALL = re.compile(r"^\d+ +(\w+)\((.*)", re.M)
PATH_CALLS = {"open", "openat", "mkdir", "mkdirat", "unlink", "unlinkat", "rename", "renameat",
              "renameat2"}


def unit_settings(unpacked):
    text = (unpacked / UNIT_DIR / "rtd.service").read_text()
    return {key: [line.split("=", 1)[1] for line in text.splitlines()
                  if line.startswith(key + "=")]
            for key in ("SystemCallFilter", "RestrictAddressFamilies")}


def syscall_group(name, seen=None):
    """The calls of a systemd syscall group, nested groups expanded."""
    seen = set() if seen is None else seen
    listing = subprocess.run(["systemd-analyze", "syscall-filter", name], capture_output=True,
                             text=True, check=True).stdout
    calls = set()
    for line in listing.splitlines()[1:]:
        entry = line.strip()
        if entry.startswith("@") and entry not in seen:
            seen.add(entry)
            calls |= syscall_group(entry, seen)
        elif entry and not entry.startswith("#") and not entry.startswith("@"):
            calls.add(entry)
    return calls


def allowed_calls(filters):
    """SystemCallFilter= lines: the first names what is allowed, '~' lines take away."""
    allowed = None
    for line in filters:
        deny = line.startswith("~")
        calls = set().union(*(syscall_group(g) if g.startswith("@") else {g}
                              for g in line.lstrip("~").split()))
        allowed = (allowed - calls) if deny else (calls if allowed is None else allowed | calls)
    return allowed


async def exercise(server):
    status, _, _ = http_request(server, "GET", "/")
    assert status == 200
    status, _, _ = http_request(server, "POST", "/api/notifications", {"message": "traced"})
    assert status == 202
    async with connect(server) as client:
        await client.subscribe("system")
        await client.send({"type": "calculate", "calculation_id": "traced",
                           "calculation_type": "monte_carlo",
                           "parameters": {"cash_flows": [100, 120], "discount_rate": 0.1,
                                          "initial_investment": 150, "volatility": 0.2,
                                          "iterations": 300000, "seed": 1}})
        await client.until("calculation_update", lambda m: m["status"] == "completed",
                           timeout=30, skip=("system_status",))


@pytest.fixture(scope="module")
def trace(unpacked, tmp_path_factory):
    if not shutil.which("strace"):
        pytest.skip("strace is not installed (deploy/bootstrap.sh installs it)")
    folder = tmp_path_factory.mktemp("traced")
    data = folder / "data"
    data.mkdir()
    log = folder / "trace.txt"
    server = ServerProcess(["strace", "-f", "-qq", "-o", str(log),
                            *server_args(unpacked, data, "--system-interval-ms=100")])
    try:
        support.run(exercise(server))
    finally:
        # strace exits with the server's status; the server is its only child.
        if server.process.poll() is None:
            pid = server.process.pid
            for child in pathlib.Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
                os.kill(int(child), signal.SIGTERM)
        code = server.wait(30)
    assert code == 0, server.output()
    return CALL.findall(log.read_text()), data


def test_system_calls_within_filter(unpacked, trace):
    calls, _ = trace
    allowed = allowed_calls(unit_settings(unpacked)["SystemCallFilter"])
    assert len(allowed) > 100, allowed
    used = {name for name, _ in calls}
    assert len(used) > 20, used
    assert used <= allowed, sorted(used - allowed)


def test_socket_families_within_restriction(unpacked, trace):
    families = set(unit_settings(unpacked)["RestrictAddressFamilies"][0].split())
    used = {re.match(r"(\w+)", args).group(1) for name, args in trace[0] if name == "socket"}
    assert "AF_INET" in used
    assert used <= families, used - families


def test_no_writable_executable_memory(trace):
    for name, args in trace[0]:
        if name in ("mprotect", "pkey_mprotect"):
            assert "PROT_EXEC" not in args, (name, args)
        if name == "mmap":
            assert not ("PROT_WRITE" in args and "PROT_EXEC" in args), args


def test_proc_and_writes_stay_where_allowed(trace):
    calls, data = trace
    for name, args in calls:
        path = re.search(r'"([^"]*)"', args)
        if name not in PATH_CALLS or not path:
            continue
        path = path.group(1)
        if path.startswith("/proc/"):
            assert re.match(r"/proc/(self|thread-self|\d+)/", path), path
        opened_to_read = name in ("open", "openat") and not re.search(r"O_WRONLY|O_RDWR|O_CREAT",
                                                                        args)
        if not opened_to_read:
            assert path.startswith((f"{data}/", "/dev/", "/tmp/", "/var/tmp/")), (name, args)
