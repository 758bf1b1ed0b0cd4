"""Calculations across nodes (docs/cluster.md, Calculations across nodes), with real processes:
a node at its --cluster-offload-above threshold hands a new calculation to the other member,
the requester gets its updates as if it ran locally, and the member's own figures show it ran
there; a member lost while it runs one ends it `failed`, code internal, naming the node."""

import contextlib

import test_calculations as calc
from cluster_support import DETECTION_BOUND, all_up, cluster, wait_for_membership  # noqa: F401
from support import connect, run
from test_calculation_limits import heavy

OFFLOAD = {"cluster_offload_above": 1, "calculation_threads": 1}


def two(cluster):
    cluster.start("n1", **OFFLOAD)
    cluster.start("n2", join=["n1"], **OFFLOAD)
    return cluster.nodes["n1"], cluster.nodes["n2"]


@contextlib.asynccontextmanager
async def busy(n1):
    """An Inbox of a client of n1 once both nodes are up and it runs one long calculation on
    n1 (n1 is at its threshold: the next one goes to n2)."""
    await wait_for_membership(n1, all_up(["n1", "n2"], "n1"))
    async with connect(n1) as client:
        inbox = calc.Inbox(client)
        await client.send(heavy("here", flows=100, seed=1))
        await inbox.update("here", status="processing", timeout=10)
        yield inbox


async def completed_on(node, count, timeout=10.0):
    """Waits until `node`'s system_status counts `count` completed calculations."""
    async with connect(node) as client:
        await client.subscribe("system")
        return await client.until(
            "system_status", lambda m: m["data"]["calculations"]["completed"] >= count, timeout,
            skip=("system_status",))


def test_a_busy_node_hands_a_calculation_to_the_other_member(cluster):
    n1, n2 = two(cluster)

    async def scenario():
        async with busy(n1) as inbox:
            parameters = calc.mc_parameters(iterations=200_000, seed=3)
            _, final = await calc.run_to_end(inbox, calc.calculate("monte_carlo", parameters,
                                                                   "there"), timeout=10)
            assert final["status"] == "completed", final
            assert "mean_npv" in final["result"]
            # n2 ran it: nobody asked n2 for anything, yet it counts a completed calculation.
            await completed_on(n2, 1)

    run(scenario())


def test_a_lost_member_ends_its_calculations_failed_naming_it(cluster):
    n1, _ = two(cluster)

    async def scenario():
        async with busy(n1) as inbox:
            await inbox.client.send(heavy("there", flows=100, seed=2))
            await inbox.update("there", status="processing", timeout=10)
            cluster.kill("n2")
            failed = await inbox.update("there", status="failed", timeout=DETECTION_BOUND + 2)
            assert failed["error"]["code"] == "internal", failed
            assert "n2" in failed["error"]["message"], failed
            # The one running here goes on.
            reply = await inbox.reply({"type": "ping", "id": "alive"})
            assert reply["type"] == "pong"

    run(scenario())
