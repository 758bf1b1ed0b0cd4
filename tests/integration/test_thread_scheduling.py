"""Every thread of a node runs SCHED_BATCH (server/thread_scheduling: a woken thread does not
preempt the running one mid-batch), and the timer and calculation threads are the documented
nice steps below the rest."""

import os
import pathlib


def threads(pid):
    """(name, policy, nice) of each thread of `pid`."""
    found = []
    for task in pathlib.Path(f"/proc/{pid}/task").iterdir():
        tid = int(task.name)
        name = (task / "comm").read_text().strip()
        found.append((name, os.sched_getscheduler(tid), os.getpriority(os.PRIO_PROCESS, tid)))
    return found


def test_every_thread_is_sched_batch(start_server):
    server = start_server(calculation_nice=10)
    found = threads(server.process.pid)
    names = {name for name, _, _ in found}
    # The I/O lanes and main, CAF's workers, timer and detached actors, the calculation pool.
    assert {"rtd-server", "caf.multiplexer", "caf.clock", "caf.actor", "rtd-calc"} <= names, found
    assert all(policy == os.SCHED_BATCH for _, policy, _ in found), found
    base = os.getpriority(os.PRIO_PROCESS, server.process.pid)
    for name, _, nice in found:
        expected = {"caf.clock": 10, "rtd-calc": 10}.get(name, 0)
        assert nice == min(base + expected, 19), (name, nice, found)
