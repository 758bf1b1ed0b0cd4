"""What the history does when its disk fails: a full disk or one that turns read-only is
reported in system_status ("degraded", with the reason) while live data keeps flowing, and a
full disk that has room again is written again with nothing lost; a data dir that cannot be
used, or a damaged database, refuses to start with a message naming the file.

A full or read-only disk needs a filesystem of its own: the server runs in a mount namespace
(unshare -m) on a small tmpfs or an ext4 image mounted with errors=remount-ro, which the test
then fills or breaks. That needs root (or CAP_SYS_ADMIN); elsewhere those tests are skipped.
"""

import os
import shutil
import subprocess
import time

import pytest

from history_support import http_history
from support import (LoggedProcess, connect, run, server_args)


def can_mount():
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("nsenter"):
        return False
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c",
                            "mount -t tmpfs -o size=1m tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


needs_mount = pytest.mark.skipif(not can_mount(), reason="needs root to mount a filesystem")


def namespaced(*mount_commands):
    """A wrapper running the server in a mount namespace of its own, after `mount_commands`."""
    script = " && ".join(mount_commands) + ' && exec "$@"'
    return ["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh"]


def inside(server, command):
    """Runs a shell command in the server's mount namespace; returns its output."""
    return subprocess.run(["nsenter", "-t", str(server.process.pid), "-m", "sh", "-c", command],
                          capture_output=True, text=True, check=True).stdout


async def next_status(client, predicate, timeout):
    return await client.until("system_status", lambda m: predicate(m["data"]), timeout=timeout,
                              skip=("market_update",))


def healthy(data):
    return data["status"] == "healthy" and data["history"]["written"] > 0


@needs_mount
def test_a_full_disk_degrades_then_writing_resumes(servers, tmp_path):
    data = tmp_path / "small"
    data.mkdir()
    server = servers.start(wrapper=namespaced(f"mount -t tmpfs -o size=16m tmpfs {data}"),
                           data_dir=data, journal_bytes=65536, market_interval_ms=5,
                           system_interval_ms=100)

    async def scenario():
        async with connect(server) as client:
            await client.subscribe("system")
            await client.subscribe("market_data")
            await next_status(client, healthy, 10)
            inside(server, f"cat /dev/zero > {data}/filler 2>/dev/null; true")
            degraded = await next_status(client, lambda d: d["status"] == "degraded", 15)
            # Still serving live data.
            before = await client.expect("market_update", skip=("system_status",))
            after = await client.until("market_update", lambda m: m["seq"] > before["seq"] + 20,
                                       skip=("system_status",))
            inside(server, f"rm {data}/filler")
            # Healthy again, and what waited is written.
            after_fill = degraded["data"]["history"]
            waiting = after_fill["written"] + after_fill["pending"]
            resumed = await next_status(
                client, lambda d: d["status"] == "healthy" and d["history"]["written"] > waiting,
                15)
            return degraded, after, resumed
    degraded, during, resumed = run(scenario())
    assert any("full" in r for r in degraded["data"]["reasons"]), degraded
    assert degraded["data"]["history"]["write_errors"] >= 1
    assert "reasons" not in resumed["data"]
    assert resumed["data"]["history"]["dropped"] == 0
    # What was published while the disk was full is on disk now, with no gap.
    since = max(0, during["seq"] - 50)
    page = http_history(server, "market_data", since_seq=since, limit=100)
    seqs = [i["seq"] for i in page["items"]]
    assert seqs == list(range(since + 1, since + 101)), seqs


def ext4_image(path):
    if not shutil.which("mkfs.ext4"):
        pytest.skip("mkfs.ext4 (e2fsprogs) is not installed")
    subprocess.run(["truncate", "-s", "32M", str(path)], check=True)
    subprocess.run(["mkfs.ext4", "-q", "-F", str(path)], check=True)


@needs_mount
def test_a_disk_turned_read_only_degrades_and_live_data_goes_on(servers, tmp_path):
    image, data = tmp_path / "disk.img", tmp_path / "ro"
    ext4_image(image)
    data.mkdir()
    server = servers.start(wrapper=namespaced(f"mount -o loop,errors=remount-ro {image} {data}"),
                           data_dir=data, market_interval_ms=20, system_interval_ms=100)
    device = os.path.basename(inside(server, f"findmnt -n -o SOURCE {data}").strip())
    trigger = f"/sys/fs/ext4/{device}/trigger_fs_error"
    if not os.path.exists(trigger):
        pytest.skip(f"this kernel has no {trigger}")

    async def scenario():
        async with connect(server) as client:
            await client.subscribe("system")
            await client.subscribe("market_data")
            await next_status(client, healthy, 10)
            # What a failing disk does under errors=remount-ro: the kernel remounts it read-only.
            with open(trigger, "w") as f:
                f.write("1")
            options = inside(server, f"findmnt -n -o OPTIONS {data}").strip().split(",")
            assert {"ro", "emergency_ro"} & set(options), options  # newer kernels say the latter
            degraded = await next_status(client, lambda d: d["status"] == "degraded", 15)
            before = await client.expect("market_update", skip=("system_status",))
            await client.until("market_update", lambda m: m["seq"] > before["seq"] + 10,
                               skip=("system_status",))
            await client.ping_ok()
            return degraded
    degraded = run(scenario())
    reason = " ".join(degraded["data"]["reasons"])
    assert "readonly" in reason or "read-only" in reason or "I/O" in reason, reason


def refused(tmp_path, data_dir):
    """Starts the server on `data_dir`; it must exit non-zero. Returns what it printed."""
    process = LoggedProcess(server_args(data_dir))
    code = process.wait(15)
    assert code != 0, process.output()
    return process.output()


def test_a_damaged_database_refuses_to_start(tmp_path):
    data = tmp_path / "damaged"
    data.mkdir()
    database = data / "history.sqlite3"
    database.write_bytes(b"this is not an SQLite database, it is a test" * 100)
    output = refused(tmp_path, data)
    assert str(database) in output, output
    assert "move it away" in output and "restore a backup" in output, output
    assert database.read_bytes().startswith(b"this is not"), "the file must be left as it was"


def test_a_data_dir_that_cannot_be_used_refuses_to_start(tmp_path):
    not_a_dir = tmp_path / "a-file"
    not_a_dir.write_text("")
    output = refused(tmp_path, not_a_dir)
    assert str(not_a_dir) in output, output
