"""forecast, forecast_npv and Monte Carlo's "market" volatility over the real server
(docs/protocol.md, Calculations): forecasts of the steps the server recorded, intervals that
widen with the step, live re-runs on each market step, forecast_npv's interval, and bad
parameters refused with the field named.

References are computed here from the protocol's definitions: Holt's recursion and its
variance from the fitted parameters the server reports, AR(1) by ordinary least squares, the
npv along the reported rates, and Monte Carlo's npv spread from its volatility.
"""

import math

import pytest

from support import TIMEOUT, connect, run

Z80 = 1.2815515655446004
Z95 = 1.959963984540054
FLOWS = [30000, 35000, 40000, 45000, 50000]


class Stream:
    """A client subscribed to market_data from seq 1 on, every step kept by seq (and every
    analytics_update when subscribed to analytics), and calculation updates by id."""

    def __init__(self, client):
        self.client = client
        self.markets = {}
        self.analytics = {}
        self.updates = []

    async def start(self, analytics=False):
        await self.client.subscribe("market_data", since_seq=0, conflate=False)
        if analytics:
            await self.client.subscribe("analytics", conflate=False)

    async def next(self, timeout=TIMEOUT):
        message = await self.client.recv(timeout)
        if message["type"] == "market_update":
            self.markets[message["seq"]] = message["data"]
        elif message["type"] == "analytics_update":
            self.analytics[message["market_seq"]] = message["data"]
        elif message["type"] == "calculation_update":
            self.updates.append(message)
        return message

    async def until_steps(self, count):
        while len(self.markets) < count:
            await self.next()

    async def update(self, calculation_id, status=None, timeout=TIMEOUT):
        """The next update of `calculation_id` (with `status`), in arrival order."""
        while True:
            for index, u in enumerate(self.updates):
                if u["calculation_id"] == calculation_id and status in (None, u["status"]):
                    return self.updates.pop(index)
            await self.next(timeout)

    async def reply(self, message):
        """Sends `message` (with an id) and returns the error echoing it, or None once its
        calculation has started."""
        await self.client.send(message)
        while True:
            m = await self.next()
            if m.get("id") == message["id"] and m["type"] == "error":
                return m
            if m["type"] == "calculation_update" and m["status"] == "started":
                self.updates.remove(m)
                return None

    def window(self, indicator, last_seq, size):
        return [self.markets[s][indicator] for s in range(last_seq - size + 1, last_seq + 1)]


def calculate(calculation_type, parameters, calculation_id, live=False):
    return {"type": "calculate", "calculation_type": calculation_type, "id": calculation_id,
            "calculation_id": calculation_id, "parameters": parameters, "live": live}


def holt_forecast(history, p, horizon):
    """Holt's ETS(A,A,N) recursion from the state before the window; points and sigma."""
    level, trend, sse = p["l0"], p["b0"], 0.0
    for y in history:
        error = y - (level + trend)
        sse += error * error
        level, trend = level + trend + p["alpha"] * error, trend + p["beta"] * error
    sigma = math.sqrt(sse / len(history))
    values = [level + h * trend for h in range(1, horizon + 1)]
    a, b = p["alpha"], p["beta"]
    sds = [sigma * math.sqrt(1 + (h - 1) * (a * a + a * b * h + b * b * h * (2 * h - 1) / 6))
           for h in range(1, horizon + 1)]
    return values, sds, sigma


def ar1_fit(history):
    """x_t = c + phi x_{t-1} by ordinary least squares; sigma^2 = SSR / (n - 1)."""
    xs, ys = history[:-1], history[1:]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    phi = (sum((x - mx) * (y - my) for x, y in zip(xs, ys))
           / sum((x - mx) ** 2 for x in xs))
    c = my - phi * mx
    ssr = sum((y - c - phi * x) ** 2 for x, y in zip(xs, ys))
    return c, phi, math.sqrt(ssr / len(ys))


def close(a, b, rel=1e-7, abs_=1e-12):
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def check_intervals(points):
    widths = []
    for k, point in enumerate(points, start=1):
        assert point["step"] == k, point
        assert (point["lower_95"] < point["lower_80"] < point["value"] < point["upper_80"]
                < point["upper_95"]), point
        widths.append(point["upper_95"] - point["lower_95"])
    assert all(later > earlier for earlier, later in zip(widths, widths[1:])), widths


def test_forecast_of_recorded_steps_widens_with_the_step(start_server):
    server = start_server(market_interval_ms=20)

    async def scenario():
        async with connect(server) as client:
            stream = Stream(client)
            await stream.start()
            await stream.until_steps(40)
            assert await stream.reply(calculate(
                "forecast", {"indicator": "tech_index", "horizon": 12, "window": 30}, "f")) is None
            done = await stream.update("f", "completed")
            return stream, done

    stream, done = run(scenario())
    result = done["result"]
    assert result["method"] == "holt"
    fitted = result["parameters"]
    assert set(fitted) == {"alpha", "beta", "l0", "b0", "sigma"}, fitted
    assert 1e-4 <= fitted["alpha"] <= 1 - 1e-4 and 0 <= fitted["beta"] <= fitted["alpha"]
    points = result["points"]
    assert len(points) == 12
    check_intervals(points)
    # The window is the 30 steps up to one the client had received before the result.
    last_seqs = [s for s in stream.markets if s >= 30
                 if close(holt_forecast(stream.window("tech_index", s, 30), fitted, 1)[0][0],
                          points[0]["value"], rel=1e-9)]
    assert len(last_seqs) == 1, last_seqs
    values, sds, sigma = holt_forecast(stream.window("tech_index", last_seqs[0], 30), fitted, 12)
    assert close(sigma, fitted["sigma"])
    for point, value, sd in zip(points, values, sds):
        assert close(point["value"], value, rel=1e-9), (point, value)
        assert close(point["upper_80"] - point["value"], Z80 * sd), (point, sd)
        assert close(point["value"] - point["lower_95"], Z95 * sd), (point, sd)


def test_live_forecast_reruns_on_each_market_step(start_server):
    server = start_server(market_interval_ms=150)

    async def scenario():
        async with connect(server) as client:
            stream = Stream(client)
            await stream.start()
            await stream.until_steps(12)
            parameters = {"indicator": "discount_rate", "horizon": 3, "method": "ar1",
                          "window": 10}
            assert await stream.reply(calculate("forecast", parameters, "live", True)) is None
            completed = [await stream.update("live", "completed", timeout=3) for _ in range(4)]
            await client.send({"type": "cancel", "calculation_id": "live", "id": "stop"})
            cancelled = await stream.update("live", "cancelled")
            return stream, completed, cancelled

    stream, completed, cancelled = run(scenario())
    assert cancelled["id"] == "stop"
    seqs = [u["market_seq"] for u in completed]
    assert seqs == list(range(seqs[0], seqs[0] + 4)), seqs  # one per step
    for update in completed:
        assert update["live"] is True, update
        # Its market_update arrived first: the client holds the window's last step.
        window = stream.window("discount_rate", update["market_seq"], 10)
        c, phi, sigma = ar1_fit(window)
        result = update["result"]
        assert result["method"] == "ar1"
        assert close(result["parameters"]["phi"], phi, rel=1e-6), (result["parameters"], phi)
        assert close(result["parameters"]["sigma"], sigma, rel=1e-6)
        m, weights = window[-1], 0.0
        for h, point in enumerate(result["points"], start=1):
            m = c + phi * m
            weights += phi ** (2 * (h - 1))
            assert close(point["value"], m, rel=1e-9), (point, m)
            assert close(point["upper_95"] - point["value"], Z95 * sigma * math.sqrt(weights),
                         rel=1e-6)
        check_intervals(result["points"])


def test_forecast_npv_interval_contains_the_point_npv(start_server):
    server = start_server(market_interval_ms=20)

    async def scenario():
        async with connect(server) as client:
            stream = Stream(client)
            await stream.start()
            await stream.until_steps(30)
            parameters = {"cash_flows": FLOWS, "initial_investment": 150000,
                          "discount_rate": "market", "paths": 5000, "seed": 3}
            assert await stream.reply(calculate("forecast_npv", parameters, "fn")) is None
            small = await stream.update("fn", "completed")
            # A long one: the simulation runs in chunks, with progress.
            long = {"cash_flows": [1000] * 50, "initial_investment": 20000,
                    "paths": 100000}
            assert await stream.reply(calculate("forecast_npv", long, "long")) is None
            updates = [await stream.update("long", timeout=30)]
            while updates[-1]["status"] == "processing":
                updates.append(await stream.update("long", timeout=30))
            return small, updates

    small, updates = run(scenario())
    result = small["result"]
    assert set(result) == {"npv", "npv_lower_95", "npv_upper_95", "rates"}, result
    assert result["npv_lower_95"] < result["npv"] < result["npv_upper_95"], result
    assert len(result["rates"]) == len(FLOWS)
    factor, npv = 1.0, -150000.0
    for flow, rate in zip(FLOWS, result["rates"]):
        factor /= 1 + rate
        npv += flow * factor
    assert close(result["npv"], npv, rel=1e-9), (result, npv)
    assert updates[-1]["status"] == "completed", updates[-1]
    progress = [u["progress"] for u in updates[:-1]]
    assert progress and progress == sorted(progress), progress
    assert all("Processing forecast_npv..." in u["message"] for u in updates[:-1])
    long = updates[-1]["result"]
    assert long["npv_lower_95"] < long["npv"] < long["npv_upper_95"], long


def test_live_monte_carlo_follows_the_market_risk(start_server):
    server = start_server(market_interval_ms=150)
    parameters = {"cash_flows": FLOWS, "initial_investment": 150000, "discount_rate": "market",
                  "volatility": "market", "iterations": 20000, "seed": 5}

    async def scenario():
        async with connect(server) as client:
            stream = Stream(client)
            await stream.start(analytics=True)
            while len(stream.analytics) < 4:
                await stream.next()
            assert await stream.reply(calculate("monte_carlo", parameters, "risk", True)) is None
            completed = [await stream.update("risk", "completed", timeout=3) for _ in range(4)]
            while max(u["market_seq"] for u in completed) not in stream.analytics:
                await stream.next()
            await client.send({"type": "cancel", "calculation_id": "risk", "id": "stop"})
            await stream.update("risk", "cancelled")
            return stream, completed

    stream, completed = run(scenario())
    for update in completed:
        figures = stream.analytics[update["market_seq"]]["discount_rate"]
        rate = figures["value"]
        volatility = min(1.0, figures["volatility"] / abs(rate))
        # npv = base + sum_t w_t Z_t, w_t = volatility cf_t / (1 + r)^t: its std.
        spread = volatility * math.sqrt(sum((cf / (1 + rate) ** t) ** 2
                                            for t, cf in enumerate(FLOWS, start=1)))
        result = update["result"]
        assert spread > 0, figures
        assert math.isclose(result["std_npv"], spread, rel_tol=0.05), (result["std_npv"], spread)
    assert len({u["result"]["std_npv"] for u in completed}) == len(completed)


BAD = [
    ("forecast", {"indicator": "tech_index", "horizon": 0}, "parameters.horizon"),
    ("forecast", {"indicator": "tech_index", "horizon": 1001}, "parameters.horizon"),
    ("forecast", {"horizon": 5}, "parameters.indicator"),
    ("forecast", {"indicator": "gold", "horizon": 5}, "parameters.indicator"),
    ("forecast", {"indicator": "tech_index", "horizon": 5, "method": "arima"},
     "parameters.method"),
    ("forecast", {"indicator": "tech_index", "horizon": 5, "window": 9}, "parameters.window"),
    ("forecast", {"indicator": "tech_index", "horizon": 5, "window": 100000},
     "parameters.window asks for 100000 points of tech_index but"),
    ("forecast", {"indicator": "tech_index", "horizon": 5, "alpha": 0.5}, "parameters.beta"),
    ("forecast", {"indicator": "tech_index", "horizon": 5, "alpha": 0.3, "beta": 0.5},
     "parameters.beta"),
    ("forecast", {"indicator": "tech_index", "horizon": 5, "method": "ar1", "alpha": 0.3,
                  "beta": 0.1}, "parameters.alpha"),
    ("forecast_npv", {"cash_flows": FLOWS, "initial_investment": 1, "paths": 100001},
     "parameters.paths"),
    ("forecast_npv", {"cash_flows": [1] * 1001, "initial_investment": 1},
     "parameters.cash_flows"),
    ("forecast_npv", {"cash_flows": FLOWS, "initial_investment": 1, "discount_rate": 0.1},
     "parameters.discount_rate"),
    ("forecast_npv", {"cash_flows": FLOWS}, "parameters.initial_investment"),
    ("monte_carlo", {"cash_flows": FLOWS, "initial_investment": 1, "discount_rate": 0.1,
                     "volatility": "high"}, "parameters.volatility"),
]


@pytest.mark.parametrize("calculation_type,parameters,field", BAD,
                         ids=[f"{t}-{p}" for t, p, _ in BAD])
def test_bad_parameters_are_refused_naming_the_field(shared_server, calculation_type,
                                                     parameters, field):
    async def scenario():
        async with connect(shared_server) as client:
            return await client.request(calculate(calculation_type, parameters, "bad"))

    reply = run(scenario())
    assert reply["type"] == "error", reply
    assert reply["code"] == "invalid_parameters", reply
    assert reply["message"].startswith(field), reply
    assert reply["calculation_id"] == "bad" and reply["request_type"] == "calculate", reply
