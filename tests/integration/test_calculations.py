"""Calculations over the real server: each type against independently computed references,
the calculation_update sequence, cancel, subscribers of `calculations`, the result cache,
validation errors, limits and live recalculation (docs/protocol.md, Calculations and
calculation_update).

Reference values are computed here from protocol.md's definitions with plain Python (math.fsum,
bisection for IRR, the normal distribution for Monte Carlo), never taken from the server.
"""

import asyncio
import json
import math
import time

import pytest

from support import TIMEOUT, TIMESTAMP, assert_consecutive, check_publication, connect, run

TERMINAL = ("completed", "failed", "cancelled")
NOISE = ("market_update", "system_status", "notification")

SEED_CALCULATE = """{"type": "calculate", "calculation_id": "unique_id", "calculation_type": "npv",
 "parameters": {"cash_flows": [100000, 120000, 140000], "discount_rate": 0.10,
                "initial_investment": 300000}}"""
SEED = {"cash_flows": [100000, 120000, 140000], "discount_rate": 0.10,
        "initial_investment": 300000}
SEED_NPV = -4733.283245679981  # protocol.md's example, worked out by hand below as well

LONG_MC = 10_000_000  # iterations: long enough (about a second) to act while it runs


# ---------------------------------------------------------------------------------------------
# Reference calculations, from the definitions in protocol.md


def present_values(cash_flows, rate):
    return [cf / (1 + rate) ** t for t, cf in enumerate(cash_flows, start=1)]


def npv_ref(cash_flows, rate, investment):
    return math.fsum([-investment] + present_values(cash_flows, rate))


def irr_ref(cash_flows, investment):
    """All roots of npv(r) on a fine grid over (-0.99, 10], refined by bisection; the one
    closest to 0 (protocol.md's rule when several exist)."""
    def f(rate):
        return npv_ref(cash_flows, rate, investment)

    grid = [-0.99 + i * 0.001 for i in range(11_000)]
    roots = []
    for low, high in zip(grid, grid[1:]):
        f_low, f_high = f(low), f(high)
        if f_low == 0:
            roots.append(low)
        elif f_low * f_high < 0:
            for _ in range(200):
                mid = (low + high) / 2
                if f(low) * f(mid) <= 0:
                    high = mid
                else:
                    low = mid
            roots.append((low + high) / 2)
    assert roots, "reference: no IRR"
    return min(roots, key=abs)


def payback_ref(values, investment):
    """Fractional periods until the cumulative values reach the investment; None if never."""
    cumulative = 0.0
    for t, value in enumerate(values, start=1):
        if cumulative + value >= investment:
            return t - 1 + (investment - cumulative) / value
        cumulative += value
    return None


def sensitivity_ref(parameters, variation):
    flows, rate, investment = (parameters["cash_flows"], parameters["discount_rate"],
                               parameters["initial_investment"])
    low, high = 1 - variation, 1 + variation
    rows = [
        ("discount_rate", rate * low, rate * high,
         npv_ref(flows, rate * low, investment), npv_ref(flows, rate * high, investment)),
        ("cash_flows", low, high,
         npv_ref([cf * low for cf in flows], rate, investment),
         npv_ref([cf * high for cf in flows], rate, investment)),
        ("initial_investment", investment * low, investment * high,
         npv_ref(flows, rate, investment * low), npv_ref(flows, rate, investment * high)),
    ]
    inputs = [{"input": name, "low_value": lv, "high_value": hv, "npv_low": nl,
               "npv_high": nh, "swing": abs(nh - nl)} for name, lv, hv, nl, nh in rows]
    return npv_ref(flows, rate, investment), sorted(inputs, key=lambda i: -i["swing"])


def normal_cdf(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def close(actual, expected, rel=1e-9, abs_=1e-9):
    return (isinstance(actual, (int, float)) and not isinstance(actual, bool)
            and math.isclose(actual, expected, rel_tol=rel, abs_tol=abs_))


def test_reference_matches_protocol_example():
    # By hand: 100000/1.1 + 120000/1.21 + 140000/1.331 - 300000 = -4733.2832456799...
    assert math.isclose(npv_ref(**{"cash_flows": SEED["cash_flows"], "rate": 0.10,
                                   "investment": 300000}), SEED_NPV, rel_tol=1e-12)


# ---------------------------------------------------------------------------------------------
# Client side helpers


class Inbox:
    """Reads a Client's messages with deadlines; what a wait does not want stays in a backlog
    for later waits, so interleaved updates of several jobs can be taken in any order."""

    def __init__(self, client):
        self.client = client
        self.backlog = []

    async def take(self, predicate, what, timeout=TIMEOUT):
        for index, message in enumerate(self.backlog):
            if predicate(message):
                return self.backlog.pop(index)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                message = await self.client.recv(max(remaining, 0))
            except asyncio.TimeoutError:
                raise AssertionError(f"no {what} within {timeout} s; meanwhile got: "
                                     f"{self.relevant()}") from None
            if predicate(message):
                return message
            self.backlog.append(message)

    def relevant(self):
        return [m for m in self.backlog if m["type"] not in NOISE][-10:]

    async def reply(self, message, timeout=TIMEOUT):
        """Sends `message` (with an id) and returns the message echoing that id."""
        await self.client.send(message)
        return await self.take(lambda m: m.get("id") == message["id"],
                               f"reply to {message}", timeout)

    async def update(self, calculation_id, timeout=TIMEOUT, status=None):
        def wanted(m):
            return (m["type"] == "calculation_update" and m.get("calculation_id") == calculation_id
                    and (status is None or m.get("status") == status))
        return await self.take(wanted, f"calculation_update {calculation_id} {status or ''}",
                               timeout)

    async def until_final(self, calculation_id, timeout=TIMEOUT):
        """Every update of `calculation_id` up to and including its terminal one."""
        deadline = time.monotonic() + timeout
        updates = []
        while not updates or updates[-1].get("status") not in TERMINAL:
            updates.append(await self.update(calculation_id,
                                             max(deadline - time.monotonic(), 0)))
        return updates

    async def barrier(self, id_="barrier"):
        """A ping round trip: what the server sent before the pong has been read."""
        pong = await self.reply({"type": "ping", "id": id_})
        assert pong["type"] == "pong", pong

    def updates_in_backlog(self, calculation_id):
        return [m for m in self.backlog if m["type"] == "calculation_update"
                and m.get("calculation_id") == calculation_id]

    async def no_more_updates(self, calculation_id, id_="after"):
        await self.barrier(id_)
        extra = self.updates_in_backlog(calculation_id)
        assert not extra, f"updates after the final one: {extra}"


def calculate(calculation_type, parameters, calculation_id=None, id_=None, **extra):
    message = {"type": "calculate", "calculation_type": calculation_type,
               "parameters": parameters, **extra}
    if calculation_id is not None:
        message["calculation_id"] = calculation_id
    if id_ is not None:
        message["id"] = id_
    return message


def mc_parameters(iterations=LONG_MC, seed=None, **overrides):
    parameters = {**SEED, "volatility": 0.2, "iterations": iterations, **overrides}
    if seed is not None:
        parameters["seed"] = seed
    return parameters


def check_sequence(updates, calculation_id, calculation_type, publication=False):
    """started -> processing (progress non-decreasing 0..100, "Processing <type>... N%") ->
    exactly one terminal update; direct updates carry no seq, publications do."""
    assert updates, "no updates"
    statuses = [u["status"] for u in updates]
    assert statuses[0] == "started", statuses
    assert statuses[-1] in TERMINAL, statuses
    assert all(s == "processing" for s in statuses[1:-1]), statuses
    progress = []
    for update in updates:
        assert update["type"] == "calculation_update", update
        assert update["calculation_id"] == calculation_id, update
        assert update["calculation_type"] == calculation_type, update
        assert TIMESTAMP.match(update["timestamp"]), update
        if publication:
            check_publication({k: v for k, v in update.items() if k != "id"},
                              "calculations", "calculation_update")
        else:
            assert "seq" not in update and "channel" not in update, \
                f"the requester's own update came as a publication: {update}"
        if update["status"] != "cancelled":
            assert "id" not in update, f"pushed update carries an id: {update}"
        if update["status"] == "processing":
            value = update["progress"]
            assert isinstance(value, int) and 0 <= value <= 100, update
            assert update["message"] == f"Processing {calculation_type}... {value}%", update
            progress.append(value)
    assert progress == sorted(progress), f"progress decreased: {progress}"
    if publication:
        seqs = [u["seq"] for u in updates]
        assert seqs == sorted(set(seqs)), f"publication seqs not increasing: {seqs}"
    final = updates[-1]
    if final["status"] == "completed":
        assert isinstance(final["result"], dict), final
        assert isinstance(final["cached"], bool), final
        assert isinstance(final["duration_ms"], (int, float)) and final["duration_ms"] >= 0, final
    elif final["status"] == "failed":
        assert isinstance(final["error"]["code"], str) and final["error"]["code"], final
        assert isinstance(final["error"]["message"], str), final
    return final


async def run_to_end(inbox, message, timeout=TIMEOUT):
    """Sends a calculate and returns (updates, final) after checking the sequence."""
    await inbox.client.send(message)
    calculation_id = message["calculation_id"]
    updates = await inbox.until_final(calculation_id, timeout)
    final = check_sequence(updates, calculation_id, message["calculation_type"])
    return updates, final


async def completed_result(inbox, message, timeout=TIMEOUT):
    _, final = await run_to_end(inbox, message, timeout)
    assert final["status"] == "completed", final
    return final


# ---------------------------------------------------------------------------------------------
# The seed's example and one of each type


def test_seed_calculate_example_end_to_end(server):
    async def scenario():
        async with connect(server) as client:
            inbox = Inbox(client)
            assert json.loads(SEED_CALCULATE)["parameters"] == SEED
            await client.send(SEED_CALCULATE)
            updates = await inbox.until_final("unique_id")
            await inbox.no_more_updates("unique_id")
            await client.ping_ok()
            return updates

    updates = run(scenario())
    final = check_sequence(updates, "unique_id", "npv")
    assert final["status"] == "completed", final
    assert final["cached"] is False, final
    result = final["result"]
    assert close(result["npv"], SEED_NPV, rel=1e-12), result
    expected_pvs = present_values(SEED["cash_flows"], 0.10)
    assert len(result["present_values"]) == 3, result
    for got, want in zip(result["present_values"], expected_pvs):
        assert close(got, want, rel=1e-12), (result, expected_pvs)
    assert close(result["discount_rate"], 0.10), result


def test_npv_cases(shared_server):
    cases = [
        ({"cash_flows": [500.0], "discount_rate": 0.0, "initial_investment": 400}),
        ({"cash_flows": [-100, 250.5, -30, 400], "discount_rate": 0.075,
          "initial_investment": 123.25}),
        ({"cash_flows": [1000, 1000], "discount_rate": -0.5, "initial_investment": 0}),
        ({"cash_flows": [float(i % 97) for i in range(10_000)], "discount_rate": 0.001,
          "initial_investment": 1000}),
    ]

    async def scenario():
        async with connect(shared_server) as client:
            inbox = Inbox(client)
            results = []
            for n, parameters in enumerate(cases):
                final = await completed_result(
                    inbox, calculate("npv", parameters, f"npv-case-{n}", id_=n))
                results.append(final["result"])
            return results

    for parameters, result in zip(cases, run(scenario())):
        flows, rate = parameters["cash_flows"], parameters["discount_rate"]
        expected = npv_ref(flows, rate, parameters["initial_investment"])
        assert close(result["npv"], expected, rel=1e-9, abs_=1e-6), (parameters, result, expected)
        pvs = present_values(flows, rate)
        assert len(result["present_values"]) == len(pvs)
        assert all(close(g, w, rel=1e-12, abs_=1e-12)
                   for g, w in zip(result["present_values"], pvs)), result["present_values"][:5]
        assert close(result["discount_rate"], rate), result["discount_rate"]


def test_generated_calculation_id(shared_server):
    async def scenario():
        async with connect(shared_server) as client:
            await client.send(calculate("npv", {**SEED, "initial_investment": 123}))
            started = await client.expect("calculation_update")
            calculation_id = started["calculation_id"]
            assert isinstance(calculation_id, str) and calculation_id, started
            inbox = Inbox(client)
            updates = [started] + await inbox.until_final(calculation_id)
            check_sequence(updates, calculation_id, "npv")
            assert updates[-1]["status"] == "completed", updates
    run(scenario())


def test_irr(shared_server):
    cases = [
        (SEED["cash_flows"], SEED["initial_investment"]),  # just under 10 %
        ([50, 40], 100),                                   # negative IRR
        ([230, -132], 100),                                # roots 0.10 and 0.20: closest to 0
        ([10, 10, 10, 110], 100),                          # a bond at par: exactly 0.10
    ]

    async def scenario():
        async with connect(shared_server) as client:
            inbox = Inbox(client)
            results = []
            for n, (flows, investment) in enumerate(cases):
                final = await completed_result(inbox, calculate(
                    "irr", {"cash_flows": flows, "initial_investment": investment},
                    f"irr-{n}", id_=f"irr-{n}"))
                results.append(final["result"])
            return results

    results = run(scenario())
    for (flows, investment), result in zip(cases, results):
        expected = irr_ref(flows, investment)
        assert close(result["irr"], expected, rel=1e-7, abs_=1e-7), (flows, result, expected)
        assert abs(npv_ref(flows, result["irr"], investment)) < 1e-6 * investment, result
    assert close(results[2]["irr"], 0.10, abs_=1e-7), results[2]
    assert close(results[3]["irr"], 0.10, abs_=1e-7), results[3]
    assert results[1]["irr"] < 0, results[1]


def test_roi(shared_server):
    cases = [
        (SEED["cash_flows"], SEED["initial_investment"]),   # roi 0.2
        ([10, 20, 30, 5], 100),                             # a loss
        ([250], 100),                                       # one period
    ]

    async def scenario():
        async with connect(shared_server) as client:
            inbox = Inbox(client)
            return [(await completed_result(inbox, calculate(
                "roi", {"cash_flows": flows, "initial_investment": investment},
                f"roi-{n}")))["result"] for n, (flows, investment) in enumerate(cases)]

    results = run(scenario())
    # The seed case by hand: 360000 / 300000 - 1 = 0.2, annualized 1.2 ** (1/3) - 1.
    assert close(results[0]["roi"], 0.2) and close(results[0]["net_gain"], 60000), results[0]
    assert close(results[0]["annualized_roi"], 0.06265856918261115), results[0]
    for (flows, investment), result in zip(cases, results):
        net_gain = math.fsum(flows) - investment
        roi = net_gain / investment
        annualized = (1 + roi) ** (1 / len(flows)) - 1
        assert close(result["net_gain"], net_gain), (flows, result)
        assert close(result["roi"], roi), (flows, result)
        assert close(result["annualized_roi"], annualized), (flows, result, annualized)


def test_payback(shared_server):
    cases = [
        # (parameters, expected simple, expected discounted)
        ({"cash_flows": [100, 200, 300], "initial_investment": 250}, 1.75, None),
        ({"cash_flows": [100, 200, 300], "initial_investment": 250, "discount_rate": 0.1},
         1.75, None),  # discounted: computed below (about 1.9625)
        ({"cash_flows": [100, 100, 100], "initial_investment": 290, "discount_rate": 0.1},
         2.9, None),   # discounted never reached: present values sum to 248.7
        ({"cash_flows": [100, 100], "initial_investment": 500, "discount_rate": 0.1},
         None, None),  # never reached at all
        ({"cash_flows": [100, 100], "initial_investment": 500}, None, None),
    ]

    async def scenario():
        async with connect(shared_server) as client:
            inbox = Inbox(client)
            return [(await completed_result(inbox, calculate("payback", parameters,
                                                             f"payback-{n}")))["result"]
                    for n, (parameters, _, _) in enumerate(cases)]

    results = run(scenario())
    for (parameters, simple, _), result in zip(cases, results):
        assert "payback_period" in result and "discounted_payback_period" in result, result
        flows, investment = parameters["cash_flows"], parameters["initial_investment"]
        reference = payback_ref(flows, investment)
        assert reference == simple or math.isclose(reference, simple)  # agrees with the table
        if simple is None:
            assert result["payback_period"] is None, (parameters, result)
        else:
            assert close(result["payback_period"], simple), (parameters, result)
        if "discount_rate" in parameters:
            discounted = payback_ref(present_values(flows, parameters["discount_rate"]),
                                     investment)
        else:
            discounted = None  # no discount_rate: null
        if discounted is None:
            assert result["discounted_payback_period"] is None, (parameters, result)
        else:
            assert close(result["discounted_payback_period"], discounted), (parameters, result)
    # 1 + (250 - 100/1.1) / (200/1.21) = 1.9625
    assert close(results[1]["discounted_payback_period"], 1.9625, rel=1e-12), results[1]
    assert results[2]["discounted_payback_period"] is None, results[2]


def check_monte_carlo(result, parameters):
    iterations = parameters["iterations"]
    flows, rate, investment = (parameters["cash_flows"], parameters["discount_rate"],
                               parameters["initial_investment"])
    mean = npv_ref(flows, rate, investment)
    # npv is linear in the Z_t: normal with this standard deviation.
    std = parameters["volatility"] * math.sqrt(math.fsum(pv * pv for pv in
                                                         present_values(flows, rate)))
    standard_error = std / math.sqrt(iterations)
    assert result["iterations"] == iterations, result
    assert abs(result["mean_npv"] - mean) < 5 * standard_error, (result["mean_npv"], mean,
                                                                 standard_error)
    assert abs(result["std_npv"] - std) < 0.05 * std, (result["std_npv"], std)
    assert result["p5"] <= result["p50"] <= result["p95"], result
    for key, z in (("p5", -1.6449), ("p50", 0.0), ("p95", 1.6449)):
        assert abs(result[key] - (mean + z * std)) < 0.1 * std, (key, result[key], mean, std)
    assert close(result["var_95"], result["mean_npv"] - result["p5"], rel=1e-9, abs_=1e-6), result
    assert 0 <= result["probability_of_loss"] <= 1, result
    assert abs(result["probability_of_loss"] - normal_cdf(-mean / std)) < 0.03, result
    histogram = result["histogram"]
    edges, counts = histogram["edges"], histogram["counts"]
    assert len(edges) == 21 and len(counts) == 20, histogram
    assert all(isinstance(c, int) and c >= 0 for c in counts), counts
    assert sum(counts) == iterations, (sum(counts), iterations)
    assert edges == sorted(edges) and edges[0] < edges[-1], edges
    width = (edges[-1] - edges[0]) / 20
    assert all(math.isclose(b - a, width, rel_tol=1e-6) for a, b in zip(edges, edges[1:])), edges
    assert edges[0] <= result["p5"] and result["p95"] <= edges[-1], (edges, result)
    assert counts[0] >= 1 and counts[-1] >= 1, counts  # the smallest and largest npv


def test_monte_carlo(shared_server):
    parameters = mc_parameters(iterations=20_000, seed=20240115)

    async def scenario():
        async with connect(shared_server) as client:
            inbox = Inbox(client)
            first = await completed_result(inbox, calculate("monte_carlo", parameters, "mc-1"))
            again = await completed_result(inbox, calculate("monte_carlo", parameters, "mc-2"))
            other = await completed_result(inbox, calculate(
                "monte_carlo", {**parameters, "seed": 7}, "mc-3"))
            return first, again, other

    first, again, other = run(scenario())
    check_monte_carlo(first["result"], parameters)
    check_monte_carlo(other["result"], {**parameters, "seed": 7})
    # Same seed, same result (served from the cache here; see test_cache_eviction_lru for
    # a recomputation); another seed, another sample.
    assert again["result"] == first["result"], (first, again)
    assert again["cached"] is True, again
    assert other["result"]["mean_npv"] != first["result"]["mean_npv"], other


def test_sensitivity(shared_server):
    cases = [
        (SEED, None),  # default 0.2: initial_investment 120000 > cash_flows 118106 > rate
        ({"cash_flows": [100, 100], "discount_rate": 0.1, "initial_investment": 150}, 0.1),
        ({"cash_flows": [10, 10, 500], "discount_rate": 0.3, "initial_investment": 50}, 0.25),
    ]

    async def scenario():
        async with connect(shared_server) as client:
            inbox = Inbox(client)
            results = []
            for n, (parameters, variation) in enumerate(cases):
                sent = dict(parameters) if variation is None else {**parameters,
                                                                   "variation": variation}
                final = await completed_result(inbox, calculate("sensitivity", sent,
                                                                f"sens-{n}"))
                results.append(final["result"])
            return results

    for (parameters, variation), result in zip(cases, run(scenario())):
        base, expected = sensitivity_ref(parameters, 0.2 if variation is None else variation)
        assert close(result["base_npv"], base, abs_=1e-6), (result, base)
        got = result["inputs"]
        assert [i["input"] for i in got] == [i["input"] for i in expected], (got, expected)
        swings = [i["swing"] for i in got]
        assert swings == sorted(swings, reverse=True), f"not in tornado order: {swings}"
        for g, e in zip(got, expected):
            for key in ("low_value", "high_value", "npv_low", "npv_high", "swing"):
                assert close(g[key], e[key], rel=1e-9, abs_=1e-6), (key, g, e)
    assert [i["input"] for i in sensitivity_ref(SEED, 0.2)[1]] == [
        "initial_investment", "cash_flows", "discount_rate"]


# ---------------------------------------------------------------------------------------------
# Validation errors


BASE = {"cash_flows": [100, 200, 300], "discount_rate": 0.1, "initial_investment": 250}
MC = {**BASE, "volatility": 0.2, "iterations": 1000}
INVALID = {
    # name: (calculation_type, parameters, expected code)
    "npv_missing_cash_flows": ("npv", {"discount_rate": 0.1, "initial_investment": 1},
                               "invalid_parameters"),
    "npv_missing_discount_rate": ("npv", {"cash_flows": [1], "initial_investment": 1},
                                  "invalid_parameters"),
    "npv_missing_initial_investment": ("npv", {"cash_flows": [1], "discount_rate": 0.1},
                                       "invalid_parameters"),
    "npv_discount_rate_minus_one": ("npv", {**BASE, "discount_rate": -1}, "invalid_parameters"),
    "npv_discount_rate_below_minus_one": ("npv", {**BASE, "discount_rate": -1.5},
                                          "invalid_parameters"),
    "npv_discount_rate_other_string": ("npv", {**BASE, "discount_rate": "high"},
                                       "invalid_parameters"),
    "npv_cash_flows_empty": ("npv", {**BASE, "cash_flows": []}, "invalid_parameters"),
    "npv_cash_flows_10001": ("npv", {**BASE, "cash_flows": [1] * 10_001}, "invalid_parameters"),
    "npv_cash_flow_not_number": ("npv", {**BASE, "cash_flows": [1, "2"]}, "invalid_parameters"),
    "irr_missing_cash_flows": ("irr", {"initial_investment": 100}, "invalid_parameters"),
    "irr_no_sign_change_all_negative": ("irr", {"cash_flows": [-10, -20],
                                                "initial_investment": 100},
                                        "invalid_parameters"),
    "irr_no_sign_change_all_positive": ("irr", {"cash_flows": [10, 20],
                                                "initial_investment": -100},
                                        "invalid_parameters"),
    "roi_missing_initial_investment": ("roi", {"cash_flows": [1, 2]}, "invalid_parameters"),
    "roi_initial_investment_zero": ("roi", {"cash_flows": [1, 2], "initial_investment": 0},
                                    "invalid_parameters"),
    "roi_initial_investment_negative": ("roi", {"cash_flows": [1, 2],
                                                "initial_investment": -5},
                                        "invalid_parameters"),
    "payback_missing_cash_flows": ("payback", {"initial_investment": 10},
                                   "invalid_parameters"),
    "monte_carlo_missing_volatility": ("monte_carlo", {**BASE, "iterations": 10},
                                       "invalid_parameters"),
    "monte_carlo_missing_discount_rate": ("monte_carlo", {"cash_flows": [1],
                                                          "initial_investment": 1,
                                                          "volatility": 0.1},
                                          "invalid_parameters"),
    "monte_carlo_iterations_zero": ("monte_carlo", {**MC, "iterations": 0},
                                    "invalid_parameters"),
    "monte_carlo_iterations_too_many": ("monte_carlo", {**MC, "iterations": 10_000_001},
                                        "invalid_parameters"),
    "monte_carlo_volatility_negative": ("monte_carlo", {**MC, "volatility": -0.01},
                                        "invalid_parameters"),
    "monte_carlo_discount_rate_minus_two": ("monte_carlo", {**MC, "discount_rate": -2},
                                            "invalid_parameters"),
    "sensitivity_missing_discount_rate": ("sensitivity", {"cash_flows": [1],
                                                          "initial_investment": 1},
                                          "invalid_parameters"),
    "sensitivity_cash_flows_empty": ("sensitivity", {**BASE, "cash_flows": []},
                                     "invalid_parameters"),
    "unknown_type": ("black_scholes", BASE, "unknown_calculation_type"),
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_validation_error(shared_server, name):
    calculation_type, parameters, code = INVALID[name]

    async def scenario():
        async with connect(shared_server) as client:
            inbox = Inbox(client)
            for id_ in (f"bad-{name}"[:50], 4242):
                calculation_id = f"calc-{id_}"
                error = await inbox.reply(calculate(calculation_type, parameters,
                                                    calculation_id, id_=id_))
                assert error["type"] == "error", error
                assert error["code"] == code, error
                assert isinstance(error["message"], str) and error["message"], error
                assert error["calculation_id"] == calculation_id, error
                if "request_type" in error:
                    assert error["request_type"] == "calculate", error
                # No job started: nothing for that id before the pong, and the id is usable.
                await inbox.no_more_updates(calculation_id)
                final = await completed_result(inbox, calculate("npv", BASE, calculation_id))
                assert final["result"]["npv"] == pytest.approx(npv_ref(**{
                    "cash_flows": BASE["cash_flows"], "rate": 0.1, "investment": 250}))
            await client.ping_ok()
    run(scenario())


def test_non_finite_number_is_invalid(shared_server):
    # 1e999 is valid JSON that parses to infinity; "every number must be finite".
    frame = ('{"type": "calculate", "id": "inf", "calculation_id": "inf-calc", '
             '"calculation_type": "npv", "parameters": {"cash_flows": [1e999, 5], '
             '"discount_rate": 0.1, "initial_investment": 1}}')

    async def scenario():
        async with connect(shared_server) as client:
            inbox = Inbox(client)
            await client.send(frame)
            error = await inbox.take(lambda m: m.get("id") == "inf", "reply")
            assert error["type"] == "error" and error["code"] == "invalid_parameters", error
            assert error["calculation_id"] == "inf-calc", error
            await inbox.no_more_updates("inf-calc")
    run(scenario())


def test_cancel_unknown_or_finished_id_is_not_found(shared_server):
    async def scenario():
        async with connect(shared_server) as client:
            inbox = Inbox(client)
            error = await inbox.reply({"type": "cancel", "calculation_id": "nobody", "id": "c1"})
            assert error["type"] == "error" and error["code"] == "not_found", error
            await completed_result(inbox, calculate("npv", {**BASE, "initial_investment": 7},
                                                    "done-already"))
            error = await inbox.reply({"type": "cancel", "calculation_id": "done-already",
                                       "id": 77})
            assert error["type"] == "error" and error["code"] == "not_found", error
            await client.ping_ok()
    run(scenario())


# ---------------------------------------------------------------------------------------------
# Long jobs: cancel, disconnect, duplicate ids, limits


def test_long_monte_carlo_cancelled_mid_way(start_server):
    server = start_server(system_interval_ms=100)

    async def scenario():
        async with connect(server) as client, connect(server) as watcher:
            watch = Inbox(watcher)
            await watcher.subscribe("system")
            inbox = Inbox(client)
            await client.send(calculate("monte_carlo", mc_parameters(seed=1), "big", id_="go"))
            updates = [await inbox.update("big", status="started")]
            while True:  # up to the first processing update with progress
                update = await inbox.update("big")
                updates.append(update)
                assert update["status"] == "processing", \
                    f"ended before it could be cancelled: {update}"
                if update["progress"] > 0:
                    break
            assert update["progress"] < 100, update
            # It is running, and system_status says so.
            await watch.take(lambda m: m["type"] == "system_status"
                             and m["data"]["calculations"]["running"] == 1,
                             "system_status with one running calculation")
            await client.send({"type": "cancel", "calculation_id": "big", "id": "stop-big"})
            updates += await inbox.until_final("big")
            final = check_sequence(updates, "big", "monte_carlo")
            assert final["status"] == "cancelled", final
            assert final["id"] == "stop-big", final
            assert max(u.get("progress", 0) for u in updates) < 100, updates
            # The job really stopped: running goes back to 0 and no completed comes.
            status = await watch.take(lambda m: m["type"] == "system_status"
                                      and m["data"]["calculations"]["running"] == 0,
                                      "system_status with no running calculation")
            assert status["data"]["calculations"]["completed"] == 0, status
            await inbox.no_more_updates("big")
            await client.ping_ok()
            # The connection still serves calculations.
            await completed_result(inbox, calculate("npv", SEED, "after-cancel"))
    run(scenario())


def test_disconnected_requester_job_is_cancelled(start_server):
    server = start_server(system_interval_ms=100)

    async def scenario():
        async with connect(server) as watcher:
            watch = Inbox(watcher)
            await watcher.subscribe("calculations")
            await watcher.subscribe("system")
            async with connect(server) as requester:
                await requester.send(calculate("monte_carlo", mc_parameters(seed=2), "orphan"))
                await watch.update("orphan", status="started")
                progress = await watch.update("orphan", status="processing")
                assert progress["progress"] < 100, progress
            cancelled = await watch.take(
                lambda m: m["type"] == "calculation_update"
                and m.get("calculation_id") == "orphan" and m["status"] in TERMINAL,
                "the orphan's final update")
            assert cancelled["status"] == "cancelled", cancelled
            check_publication({k: v for k, v in cancelled.items() if k != "id"},
                              "calculations", "calculation_update")
            await watch.take(lambda m: m["type"] == "system_status"
                             and m["data"]["calculations"]["running"] == 0
                             and m["data"]["connections"]["active"] == 1,
                             "system_status with no running calculation")
            await watch.no_more_updates("orphan")
    run(scenario())


def test_duplicate_id_while_running_then_free_again(start_server):
    server = start_server()

    async def scenario():
        async with connect(server) as client, connect(server) as other:
            inbox = Inbox(client)
            await client.send(calculate("monte_carlo", mc_parameters(seed=3), "dup"))
            await inbox.update("dup", status="started")
            error = await inbox.reply(calculate("npv", SEED, "dup", id_="second"))
            assert error["type"] == "error", error
            assert error["code"] == "duplicate_calculation_id", error
            assert error["calculation_id"] == "dup", error
            # Only within a session: another client may use the same id meanwhile.
            other_final = await completed_result(Inbox(other), calculate("npv", SEED, "dup"))
            assert other_final["result"]["npv"] == pytest.approx(SEED_NPV)
            # The running job was not disturbed by the rejected request.
            cancelled = await inbox.reply({"type": "cancel", "calculation_id": "dup",
                                           "id": "cancel-dup"})
            assert cancelled["type"] == "calculation_update", cancelled
            assert cancelled["status"] == "cancelled", cancelled
            assert cancelled["calculation_id"] == "dup", cancelled
            updates = [u for u in inbox.updates_in_backlog("dup")]
            assert all(u["status"] in ("processing",) for u in updates), updates
            inbox.backlog = [m for m in inbox.backlog if m not in updates]
            # Free again right after its final update.
            final = await completed_result(inbox, calculate("npv", SEED, "dup", id_="third"))
            assert final["result"]["npv"] == pytest.approx(SEED_NPV)
            # And a completed job's id is free too.
            await completed_result(inbox, calculate("roi", SEED, "dup"))
            await client.ping_ok()
    run(scenario())


def test_too_many_calculations_per_session(start_server):
    server = start_server(max_calculations_per_session=2)

    async def scenario():
        async with connect(server) as client, connect(server) as other:
            inbox = Inbox(client)
            for name, seed in (("a", 4), ("b", 5)):
                await client.send(calculate("monte_carlo", mc_parameters(seed=seed), name))
                await inbox.update(name, status="started")
            error = await inbox.reply(calculate("npv", SEED, "c", id_="third"))
            assert error["type"] == "error", error
            assert error["code"] == "too_many_calculations", error
            assert error["calculation_id"] == "c", error
            await inbox.no_more_updates("c")
            # The limit is per session.
            await completed_result(Inbox(other), calculate("npv", SEED, "c"))
            cancelled = await inbox.reply({"type": "cancel", "calculation_id": "a", "id": 1})
            assert cancelled["status"] == "cancelled", cancelled
            await completed_result(inbox, calculate("npv", {**SEED, "discount_rate": 0.2}, "c"))
            cancelled = await inbox.reply({"type": "cancel", "calculation_id": "b", "id": 2})
            assert cancelled["status"] == "cancelled", cancelled
            await client.ping_ok()
    run(scenario())


# ---------------------------------------------------------------------------------------------
# Subscribers of `calculations`


def strip_publication(update):
    """An update without its publication fields (a publication is stamped when published)."""
    return {k: v for k, v in update.items() if k not in ("channel", "seq", "epoch", "timestamp")}


def test_other_subscriber_sees_the_job_requester_gets_it_directly(start_server):
    server = start_server(calculation_chunk_work=60_000)
    parameters = mc_parameters(iterations=2_000_000, seed=9)

    async def scenario():
        async with connect(server) as requester, connect(server) as watcher:
            watch = Inbox(watcher)
            ack = await watcher.subscribe("calculations")
            inbox = Inbox(requester)
            direct, _ = await run_to_end(inbox, calculate("monte_carlo", parameters, "seen"),
                                         timeout=15)
            await inbox.no_more_updates("seen")
            published = await watch.until_final("seen", timeout=15)
            await watch.no_more_updates("seen")
            return ack, direct, published

    ack, direct, published = run(scenario())
    check_sequence(published, "seen", "monte_carlo", publication=True)
    assert_consecutive(published)  # the only job on this server
    assert published[0]["seq"] == ack["seq"] + 1, (ack, published[0])
    assert any(u["status"] == "processing" for u in direct), direct
    assert direct[-1]["status"] == "completed", direct[-1]
    check_monte_carlo(direct[-1]["result"], parameters)
    # The same updates, each once, on both sides.
    assert [strip_publication(u) for u in published] == [strip_publication(u) for u in direct]


def test_subscribed_requester_gets_each_update_once_as_publication(start_server):
    server = start_server(calculation_chunk_work=60_000)

    async def scenario():
        async with connect(server) as client:
            inbox = Inbox(client)
            ack = await client.subscribe("calculations")
            await client.send(calculate("monte_carlo", mc_parameters(iterations=2_000_000,
                                                                     seed=10), "mine"))
            updates = await inbox.until_final("mine", timeout=15)
            await inbox.no_more_updates("mine")
            # A short one too, and a cancelled one.
            await client.send(calculate("npv", SEED, "short"))
            short = await inbox.until_final("short")
            await inbox.no_more_updates("short")
            await client.send(calculate("monte_carlo", mc_parameters(seed=11), "stopped"))
            stopped = [await inbox.update("stopped", status="started")]
            cancel = await inbox.reply({"type": "cancel", "calculation_id": "stopped",
                                        "id": "halt"})
            stopped += [u for u in inbox.updates_in_backlog("stopped")] + [cancel]
            inbox.backlog = [m for m in inbox.backlog if m not in stopped]
            await inbox.no_more_updates("stopped")
            return ack, updates, short, stopped

    ack, updates, short, stopped = run(scenario())
    check_sequence(updates, "mine", "monte_carlo", publication=True)
    check_sequence(short, "short", "npv", publication=True)
    check_sequence(stopped, "stopped", "monte_carlo", publication=True)
    assert stopped[-1]["status"] == "cancelled", stopped[-1]
    assert any(u["status"] == "processing" for u in updates), updates
    everything = updates + short + stopped
    assert_consecutive(everything)
    assert everything[0]["seq"] == ack["seq"] + 1, (ack, everything[0])


# ---------------------------------------------------------------------------------------------
# Result cache and system_status figures


def cache_of(status):
    return status["data"]["cache"]


def test_cache_hit_on_repeat_and_system_status_figures(start_server):
    server = start_server(system_interval_ms=100, market_interval_ms=60_000)

    async def scenario():
        async with connect(server) as client, connect(server) as watcher:
            inbox, watch = Inbox(client), Inbox(watcher)
            await watcher.subscribe("system")
            first_status = await watch.take(lambda m: m["type"] == "system_status", "status")
            cache = cache_of(first_status)
            assert (cache["hits"], cache["misses"], cache["entries"], cache["evictions"]) == \
                (0, 0, 0, 0), cache

            first = await completed_result(inbox, calculate("npv", SEED, "n1"))
            again = await completed_result(inbox, calculate("npv", SEED, "n2"))
            assert first["cached"] is False and again["cached"] is True, (first, again)
            assert again["result"] == first["result"], (first, again)

            status = await watch.take(
                lambda m: m["type"] == "system_status" and cache_of(m)["hits"] >= 1,
                "system_status with a cache hit")
            cache = cache_of(status)
            assert cache["hits"] == 1 and cache["misses"] == 1, cache
            assert cache["entries"] == 1 and cache["evictions"] == 0, cache
            assert close(cache["hit_rate"], 0.5, abs_=1e-3), cache
            calculations = status["data"]["calculations"]
            assert calculations["running"] == 0 and calculations["failed"] == 0, calculations
            assert calculations["completed"] >= 1, calculations
            assert isinstance(calculations["avg_ms"], (int, float)), calculations
            assert calculations["avg_ms"] >= 0, calculations

            # monte_carlo is cached only with a seed.
            unseeded = mc_parameters(iterations=2000)
            results = [await completed_result(inbox, calculate("monte_carlo", unseeded, f"u{n}"))
                       for n in range(2)]
            assert [r["cached"] for r in results] == [False, False], results
            assert results[0]["result"] != results[1]["result"], "two unseeded runs agree"
            seeded = mc_parameters(iterations=2000, seed=99)
            results = [await completed_result(inbox, calculate("monte_carlo", seeded, f"s{n}"))
                       for n in range(2)]
            assert [r["cached"] for r in results] == [False, True], results
            assert results[0]["result"] == results[1]["result"], results

            # "market": the cache key uses the rate actually used.
            await client.subscribe("market_data")
            market = await inbox.take(lambda m: m["type"] == "market_update", "market_update")
            rate = market["data"]["discount_rate"]
            on_market = {**SEED, "discount_rate": "market", "initial_investment": 250000}
            results = [await completed_result(inbox, calculate("npv", on_market, f"m{n}"))
                       for n in range(2)]
            assert results[0]["result"]["discount_rate"] == rate, (results[0], market)
            assert close(results[0]["result"]["npv"],
                         npv_ref(SEED["cash_flows"], rate, 250000)), (results[0], rate)
            assert [r["cached"] for r in results] == [False, True], results
            explicit = await completed_result(inbox, calculate(
                "npv", {**on_market, "discount_rate": rate}, "m-explicit"))
            assert explicit["cached"] is True, ("same rate given explicitly", explicit)
            assert explicit["result"] == results[0]["result"], (explicit, results[0])

            status = await watch.take(
                lambda m: m["type"] == "system_status" and cache_of(m)["hits"] >= 4,
                "system_status with four cache hits")
            cache = cache_of(status)
            assert cache["hits"] == 4, cache
            assert cache["misses"] >= 3, cache
            assert close(cache["hit_rate"], cache["hits"] / (cache["hits"] + cache["misses"]),
                         abs_=1e-3), cache
            assert cache["entries"] >= 3 and cache["evictions"] == 0, cache
            assert status["data"]["calculations"]["completed"] >= 5, status["data"]
    run(scenario())


def test_cache_eviction_lru_and_seeded_recomputation(start_server):
    server = start_server(cache_max_entries=2, system_interval_ms=100)

    def npv_with(investment):
        return calculate("npv", {**SEED, "initial_investment": investment}, f"i{investment}")

    async def scenario():
        async with connect(server) as client, connect(server) as watcher:
            inbox, watch = Inbox(client), Inbox(watcher)
            await watcher.subscribe("system")
            cached = [(await completed_result(inbox, npv_with(i)))["cached"] for i in (1, 2, 3)]
            assert cached == [False, False, False], cached
            status = await watch.take(lambda m: m["type"] == "system_status"
                                      and cache_of(m)["misses"] == 3, "three misses")
            assert cache_of(status)["entries"] == 2, cache_of(status)
            assert cache_of(status)["evictions"] == 1, cache_of(status)
            # 1 was the least recently used: gone. 3 is still there.
            assert (await completed_result(inbox, npv_with(1)))["cached"] is False
            assert (await completed_result(inbox, npv_with(3)))["cached"] is True

            # The same seed recomputed (after eviction) gives the identical result.
            parameters = mc_parameters(iterations=30_000, seed=31337)
            first = await completed_result(inbox, calculate("monte_carlo", parameters, "mc-a"))
            for i in (4, 5):
                await completed_result(inbox, npv_with(i))
            second = await completed_result(inbox, calculate("monte_carlo", parameters, "mc-b"))
            assert first["cached"] is False and second["cached"] is False, (first, second)
            assert second["result"] == first["result"]
            check_monte_carlo(first["result"], parameters)
    run(scenario())


def test_cache_ttl(start_server):
    ttl_ms = 400
    server = start_server(cache_ttl_ms=ttl_ms)

    async def scenario():
        async with connect(server) as client:
            inbox = Inbox(client)
            request = calculate("irr", {"cash_flows": [60, 60], "initial_investment": 100})
            started = time.monotonic()
            first = await completed_result(inbox, {**request, "calculation_id": "t1"})
            second = await completed_result(inbox, {**request, "calculation_id": "t2"})
            if time.monotonic() - started < ttl_ms / 1000:
                assert second["cached"] is True, second
            # Not synchronisation: the behaviour under test is the passing of time.
            await asyncio.sleep(ttl_ms / 1000 * 1.5)
            third = await completed_result(inbox, {**request, "calculation_id": "t3"})
            assert first["cached"] is False and third["cached"] is False, (first, third)
            assert third["result"] == first["result"]
    run(scenario())


# ---------------------------------------------------------------------------------------------
# Live calculations


def test_live_npv_follows_the_market_until_cancelled(start_server):
    server = start_server(market_interval_ms=200)
    parameters = {**SEED, "discount_rate": "market"}

    async def scenario():
        async with connect(server) as client:
            inbox = Inbox(client)
            await client.subscribe("market_data")
            await client.send(calculate("npv", parameters, "live-npv", id_="live", live=True))
            updates = [await inbox.update("live-npv", status="started")]
            while sum(u["status"] == "completed" for u in updates) < 4:
                update = await inbox.update("live-npv", timeout=3)
                assert update["status"] in ("processing", "completed"), update
                updates.append(update)
            cancelled = await inbox.reply({"type": "cancel", "calculation_id": "live-npv",
                                           "id": "stop-live"})
            updates += [u for u in inbox.updates_in_backlog("live-npv")]
            inbox.backlog = [m for m in inbox.backlog if m not in updates]
            markets = [m for m in inbox.backlog if m["type"] == "market_update"]
            # Two more market ticks with nothing from the cancelled job.
            for _ in range(2):
                markets.append(await inbox.take(lambda m: m["type"] == "market_update",
                                                "market_update", timeout=3))
            assert not inbox.updates_in_backlog("live-npv"), inbox.updates_in_backlog("live-npv")
            await client.ping_ok()
            return updates, cancelled, markets

    updates, cancelled, markets = run(scenario())
    assert cancelled["type"] == "calculation_update" and cancelled["status"] == "cancelled"
    assert cancelled["calculation_id"] == "live-npv", cancelled
    check_sequence(updates[:1] + [u for u in updates if u["status"] == "processing"]
                   + [cancelled], "live-npv", "npv")
    completed = [u for u in updates if u["status"] == "completed"]
    assert len(completed) >= 3, updates
    rates = {m["data"]["discount_rate"] for m in markets}
    for update in completed:
        assert update["live"] is True, update
        assert "seq" not in update and "id" not in update, update
        result = update["result"]
        rate = result["discount_rate"]
        assert rate in rates, (rate, sorted(rates))
        assert close(result["npv"], npv_ref(SEED["cash_flows"], rate, 300000)), (result, rate)
        assert all(close(g, w) for g, w in zip(result["present_values"],
                                               present_values(SEED["cash_flows"], rate)))
    assert len({u["result"]["npv"] for u in completed}) >= 2, "value never changed"
