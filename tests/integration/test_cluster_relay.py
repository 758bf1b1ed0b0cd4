"""One order per channel across a cluster of real rtd-server processes on 127.0.0.1: the
leader numbers every publication and relays it once to every node, so clients on any node see
the same seq/epoch, recover on another node with since_seq, and the links carry one message
per node per publication whatever the number of subscribers. Failover: the next member runs
the market from the last values, under a new epoch. Every wait has a deadline."""

import contextlib
import json
import time

from cluster_support import (DETECTION_BOUND, JOIN_TIMEOUT, all_up, cluster,  # noqa: F401
                             three, wait_for_membership)
from support import assert_consecutive, connect, http_request, run
from test_calculations import Inbox, calculate, check_sequence
from test_metrics import scrape, value

INTERVAL_MS = 100
NAMES = ["n1", "n2", "n3"]
INDICATORS = ("discount_rate", "inflation_rate", "market_growth", "tech_index",
              "ai_adoption_rate")


def formed(cluster, **flags):
    """Three nodes that agree n1 leads, the market every INTERVAL_MS."""
    nodes = three(cluster, market_interval_ms=INTERVAL_MS, **flags)

    async def agreed():
        for node in nodes:
            await wait_for_membership(node, all_up(NAMES, "n1"))
    run(agreed())
    return nodes


def by_seq(updates):
    return {(u["epoch"], u["seq"]): u for u in updates}


def test_clients_on_every_node_see_the_leaders_market_with_one_seq(cluster):
    nodes = formed(cluster)

    async def scenario():
        async with connect(nodes[0]) as a, connect(nodes[1]) as b, connect(nodes[2]) as c:
            acks = [await x.subscribe("market_data") for x in (a, b, c)]
            assert len({ack["epoch"] for ack in acks}) == 1, acks
            seen = [await x.publications("market_update", 20) for x in (a, b, c)]
        for updates in seen:
            assert_consecutive(updates)
        common = set(by_seq(seen[0])) & set(by_seq(seen[1])) & set(by_seq(seen[2]))
        assert len(common) >= 15, [[u["seq"] for u in s] for s in seen]
        for key in common:  # the same publication: the same bytes on every node
            assert by_seq(seen[0])[key] == by_seq(seen[1])[key] == by_seq(seen[2])[key]

    run(scenario())


def test_a_notification_posted_on_a_follower_reaches_every_node_with_one_seq(cluster):
    nodes = formed(cluster)

    async def scenario():
        async with connect(nodes[0]) as a, connect(nodes[1]) as b:
            for x in (a, b):
                await x.subscribe("notifications")
            status, _, body = http_request(nodes[2], "POST", "/api/notifications", {
                "message": "posted on n3", "level": "info", "notification_type": "system"})
            assert status == 202, body
            posted = json.loads(body)
            got = [await x.until("notification", lambda m: m["message"] == "posted on n3",
                                 skip=("notification",)) for x in (a, b)]
        for message in got:
            assert (message["seq"], message["epoch"]) == (posted["seq"], posted["epoch"]), \
                (message, posted)

    run(scenario())


def test_a_calculation_on_one_node_is_seen_once_on_the_others(cluster):
    nodes = formed(cluster)
    parameters = {"cash_flows": [100, 120, 140], "discount_rate": 0.1, "initial_investment": 300}

    async def scenario():
        async with connect(nodes[0]) as a, connect(nodes[1]) as b, connect(nodes[2]) as c:
            await c.subscribe("calculations")
            await b.subscribe("calculations")  # a requester subscribed gets each update once
            for requester, name in ((a, "on-a"), (b, "on-b")):
                await requester.send(calculate("npv", parameters, name))
                updates = await Inbox(requester).until_final(name)
                final = check_sequence(updates, name, "npv", publication=requester is b)
                assert final["status"] == "completed", final
                watched = await Inbox(c).until_final(name)
                check_sequence(watched, name, "npv", publication=True)
                if requester is b:
                    assert [u["seq"] for u in watched] == [u["seq"] for u in updates]

    run(scenario())


def test_a_client_of_a_killed_node_recovers_on_another_without_gap(cluster):
    nodes = formed(cluster)

    async def scenario():
        async with connect(nodes[2]) as on_n3:
            await on_n3.subscribe("market_data")
            before = await on_n3.publications("market_update", 5)
        cluster.kill("n3")
        last = before[-1]
        async with connect(nodes[1]) as on_n2:
            ack = await on_n2.subscribe("market_data", since_seq=last["seq"],
                                        epoch=last["epoch"])
            assert ack["recovered"] is True, ack
            after = await on_n2.publications("market_update", 5)
        assert_consecutive(before + after)

    run(scenario())


def test_the_next_member_runs_the_market_from_the_last_values_under_a_new_epoch(cluster):
    formed(cluster)
    n2, n3 = cluster.nodes["n2"], cluster.nodes["n3"]

    async def scenario():
        async with connect(n3) as client:
            await client.subscribe("market_data")
            old = await client.publications("market_update", 10)
            killed = time.monotonic()
            cluster.kill("n1")
            resumed = await client.until("market_update",
                                         lambda m: m["epoch"] != old[0]["epoch"],
                                         DETECTION_BOUND + 1)
            seconds = time.monotonic() - killed
            print(f"market resumed on the new leader {seconds * 1000:.0f} ms after kill -9")
            assert resumed["seq"] == 1, resumed
        # The last values n3 got are where n2 resumed from: one step of the walk away.
        last = old[-1]["data"]
        steps = {k: max(abs(x["data"][k] - y["data"][k]) for x, y in zip(old, old[1:]))
                 for k in INDICATORS}
        for k in INDICATORS:
            assert abs(resumed["data"][k] - last[k]) <= 5 * steps[k] + 1e-9, (k, resumed, last)
        # A client that recovers with the old epoch starts afresh, as protocol.md says.
        async with connect(n2) as again:
            ack = await again.subscribe("market_data", since_seq=old[-1]["seq"],
                                        epoch=old[-1]["epoch"])
            assert ack["recovered"] is False and ack["epoch"] == resumed["epoch"], ack
        after = {"n1": ("down", False), "n2": ("up", True), "n3": ("up", False)}
        await wait_for_membership(n3, after, DETECTION_BOUND)

    run(scenario())


def link_messages(node, channel):
    return value(scrape(node)[1], "rtd_cluster_link_messages_total", channel=channel)


async def relayed_per_publication(leader, follower, subscribers, publications=20):
    """Messages the leader's market_data channel sent per publication while `subscribers`
    clients of `follower` listened."""
    async with contextlib.AsyncExitStack() as stack:
        # They never read: an unbounded queue keeps each one taking what arrives, or a full
        # queue would stall its close by its close timeout, a thousand times over.
        clients = [await stack.enter_async_context(connect(follower, max_queue=None))
                   for _ in range(subscribers)]
        for client in clients:
            await client.subscribe("market_data", conflate=False)
        # Counted against a fresh client of the leader, which reads as it goes.
        async with connect(leader) as probe:
            first = (await probe.subscribe("market_data"))["seq"]
            sent = link_messages(leader, "market_data")
            last = (await probe.publications("market_update", publications + 1))[-1]["seq"]
            sent = link_messages(leader, "market_data") - sent
        return sent / (last - first)


def test_link_traffic_does_not_grow_with_subscribers(cluster):
    n1, n2, _ = formed(cluster)

    async def scenario():
        few = await relayed_per_publication(n1, n2, 10)
        many = await relayed_per_publication(n1, n2, 1000)
        print(f"market_data link messages per publication: {few:.2f} with 10 subscribers, "
              f"{many:.2f} with 1000")
        for ratio in (few, many):  # one per follower, give or take the edges of the window
            assert 1.8 <= ratio <= 2.2, (few, many)
        assert link_messages(n2, "market_data") == 0  # a follower relays nothing
        for node, leads in ((n1, 1), (n2, 0)):
            samples = scrape(node)[1]
            assert value(samples, "rtd_cluster_members") == 3, samples
            assert value(samples, "rtd_cluster_is_leader") == leads, samples

    run(scenario(), timeout=120)
