"""examples/websocket_client.py against the real server."""

import asyncio
import contextlib
import functools
import os
import re
import signal

from support import PYTHON, REPO_ROOT, LoggedProcess

EXAMPLE = os.path.join(REPO_ROOT, "examples", "websocket_client.py")
SUMMARY = re.compile(r"summary: connections=(\d+) received=(\d+) problems=(\d+)")


def start_example(server, *args):
    return LoggedProcess([PYTHON, EXAMPLE, f"--url={server.ws_url}", *args])


def summary(example):
    _, match = example.wait_for_line(SUMMARY, 5)
    return tuple(int(group) for group in match.groups())


def test_example_runs_for_duration_and_exits_0(start_server):
    server = start_server(market_interval_ms=100, system_interval_ms=200)
    example = start_example(server, "--duration=3", "--channels=market_data,system")
    assert example.wait(10) == 0, example.output()
    output = example.output()
    assert re.search(r"^subscribed to market_data at seq \d+", output, re.M), output
    assert re.search(r"^subscribed to system at seq \d+", output, re.M), output
    assert re.search(r"^market_data #\d+ market_update discount_rate=", output, re.M), output
    assert re.search(r"^system #\d+ system_status", output, re.M), output
    assert re.search(r"^pong id=1 ", output, re.M), output
    assert re.search(r"^calculation (not run|unique_id)", output, re.M), output
    assert "warning" not in output, output
    connections, received, problems = summary(example)
    assert (connections, problems) == (1, 0) and received >= 10, output


def test_example_analytics_prints_trends_and_fires_a_computed_alert(start_server):
    server = start_server(market_interval_ms=30)
    example = start_example(server, "--duration=4", "--analytics")
    assert example.wait(12) == 0, example.output()
    output = example.output()
    assert re.search(r"^subscribed to analytics at seq \d+", output, re.M), output
    line = re.search(r"^analytics #\d+ analytics_update market_seq=\d+ (.*)$", output, re.M)
    assert line, output
    for indicator in ("discount_rate", "inflation_rate", "market_growth", "tech_index",
                      "ai_adoption_rate"):
        assert re.search(indicator + r" [v^-]\d\.\d\d z=[+-]\d+\.\d\d vol=", line.group(1)), line
    for alert in ("zscore-high analytics.discount_rate.zscore above 1",
                  "zscore-low analytics.discount_rate.zscore below -1",
                  "rate-turn analytics.discount_rate.trend_reversal reversal"):
        assert f"alert set: {alert}" in output, output
    # 130 steps of a random walk: the z-score leaves [-1, 1] and the alert says so.
    assert re.search(r"^alert zscore-(high|low): alert zscore-", output, re.M), output
    assert "warning" not in output, output
    connections, _, problems = summary(example)
    assert (connections, problems) == (1, 0), output


def test_example_quiet_prints_only_the_summary(start_server):
    server = start_server(market_interval_ms=100)
    example = start_example(server, "--duration=1.5", "--quiet")
    assert example.wait(10) == 0, example.output()
    assert len(example.lines) == 1, example.output()
    assert summary(example)[2] == 0


def test_example_exits_0_on_ctrl_c(start_server):
    server = start_server(market_interval_ms=100)
    example = start_example(server)
    example.wait_for_line(r"^market_data #\d+ market_update", 10)
    assert example.stop(signum=signal.SIGINT, timeout=3) == 0, example.output()
    assert "Traceback" not in example.output()
    assert summary(example)[2] == 0


def test_example_reconnects_and_resubscribes_after_server_restart(start_server, tmp_path):
    data_dir = tmp_path / "shared-data"
    first = start_server(market_interval_ms=100, data_dir=data_dir)
    example = start_example(first, "--duration=30")
    connected, _ = example.wait_for_line(r"^connected: ", 10)
    example.wait_for_line(r"^market_data #\d+ market_update", 10, start=connected)
    assert first.stop() == 0, first.output()

    second = start_server(market_interval_ms=100, data_dir=data_dir, port=first.port)
    reconnected, _ = example.wait_for_line(r"^connected: ", 15, start=connected + 1)
    # History survives the restart: the example recovers what it missed, with no gap.
    index, _ = example.wait_for_line(r"^subscribed to market_data at seq \d+ recovered=True",
                                     5, start=reconnected)
    example.wait_for_line(r"^market_data #\d+ market_update", 5, start=index)
    assert example.stop(signum=signal.SIGINT, timeout=3) == 0, example.output()
    output = example.output()
    assert re.search(r"^reconnecting in ", output, re.M), output
    connections, _, problems = summary(example)
    assert connections == 2 and problems == 0, output
    assert second.stop() == 0


def test_example_recovers_across_a_crash_of_the_server(servers, tmp_path):
    data_dir = tmp_path / "crash-data"
    first = servers.start(market_interval_ms=50, data_dir=data_dir)
    example = start_example(first, "--duration=30", "--channels=market_data")
    connected, _ = example.wait_for_line(r"^connected: ", 10)
    example.wait_for_line(r"^market_data #\d+ market_update", 10, start=connected)
    servers.kill(first)
    servers.start(market_interval_ms=50, data_dir=data_dir, port=first.port)
    reconnected, _ = example.wait_for_line(r"^connected: ", 15, start=connected + 1)
    index, _ = example.wait_for_line(r"^subscribed to market_data at seq \d+ recovered=True",
                                     5, start=reconnected)
    example.wait_for_line(r"^market_data #\d+ market_update", 5, start=index)
    assert example.stop(signum=signal.SIGINT, timeout=3) == 0, example.output()
    connections, _, problems = summary(example)
    assert connections == 2 and problems == 0, example.output()


def test_example_recovers_missed_updates_after_a_dropped_connection(start_server):
    # The example talks to the server through a proxy whose connections the test cuts.
    server = start_server(market_interval_ms=100)

    async def scenario():
        links = []

        async def pipe(reader, writer):
            with contextlib.suppress(ConnectionError):
                while data := await reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            writer.close()

        async def relay(client_reader, client_writer):
            server_reader, server_writer = await asyncio.open_connection(server.host,
                                                                         server.port)
            links.extend([client_writer, server_writer])
            await asyncio.gather(pipe(client_reader, server_writer),
                                 pipe(server_reader, client_writer))

        proxy = await asyncio.start_server(relay, "127.0.0.1", 0)
        port = proxy.sockets[0].getsockname()[1]
        example = LoggedProcess([PYTHON, EXAMPLE, f"--url=ws://127.0.0.1:{port}/ws"])
        wait = functools.partial(asyncio.get_running_loop().run_in_executor, None,
                                 example.wait_for_line)
        try:
            connected, _ = await wait(r"^connected: ", 10)
            await wait(r"^market_data #\d+ market_update", 10, connected)
            for link in links:
                link.transport.abort()
            reconnected, _ = await wait(r"^connected: ", 10, connected + 1)
            index, _ = await wait(r"^subscribed to market_data at seq \d+ recovered=True",
                                  5, reconnected)
            await wait(r"^market_data #\d+ market_update", 5, index)
        finally:
            # In the executor: the proxy must keep relaying the close handshake meanwhile.
            code = await asyncio.get_running_loop().run_in_executor(
                None, example.stop, signal.SIGINT, 3)
            proxy.close()
        assert code == 0, example.output()
        return example

    example = asyncio.run(scenario())
    output = example.output()
    seqs = [int(s) for s in re.findall(r"^market_data #(\d+) ", output, re.M)]
    # The latest value after the first subscribe, then every publication once, in order.
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), seqs
    connections, _, problems = summary(example)
    assert connections == 2 and problems == 0, output
