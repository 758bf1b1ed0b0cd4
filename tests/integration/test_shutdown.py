"""SIGTERM with connected clients: close 1001 to each, exit code 0 within 2 s."""

import asyncio
import contextlib
import time

from support import connect, run


def test_sigterm_closes_clients_with_1001_and_exits_0(start_server):
    server = start_server(market_interval_ms=10, system_interval_ms=50)

    async def scenario():
        async with contextlib.AsyncExitStack() as stack:
            clients = [await stack.enter_async_context(connect(server)) for _ in range(3)]
            await clients[0].subscribe("market_data")
            await clients[1].subscribe("system")
            await clients[0].expect("market_update")
            await clients[1].expect("system_status")
            await clients[2].ping_ok()

            signalled = time.monotonic()
            server.process.terminate()
            codes = await asyncio.gather(*(c.close_code(timeout=2.0) for c in clients))
            assert codes == [1001, 1001, 1001], codes
            assert time.monotonic() - signalled < 2.0
            return signalled

    signalled = run(scenario())
    code = server.process.wait(max(0.1, signalled + 2.0 - time.monotonic()))
    assert code == 0, server.output()
