"""Every error path gets an `error` reply and leaves the connection usable."""

import pytest

from support import connect, run

BAD_FRAMES = {
    # name: (frame as sent, expected code)
    "invalid_json_garbage": ("{not json", "invalid_json"),
    "invalid_json_truncated": ('{"type": "ping"', "invalid_json"),
    "invalid_json_empty": ("", "invalid_json"),
    "not_object_array": ('[{"type": "ping"}]', "invalid_message"),
    "not_object_string": ('"ping"', "invalid_message"),
    "not_object_number": ("42", "invalid_message"),
    "not_object_null": ("null", "invalid_message"),
    "missing_type": ('{"channel": "market_data"}', "invalid_message"),
    "type_not_string": ('{"type": 5}', "invalid_message"),
    "type_null": ('{"type": null}', "invalid_message"),
    "id_float": ('{"type": "ping", "id": 1.5}', "invalid_message"),
    "id_bool": ('{"type": "ping", "id": true}', "invalid_message"),
    "id_null": ('{"type": "ping", "id": null}', "invalid_message"),
    "id_object": ('{"type": "ping", "id": {"a": 1}}', "invalid_message"),
    "id_array": ('{"type": "ping", "id": [1]}', "invalid_message"),
    "id_too_long": ('{"type": "ping", "id": "%s"}' % ("x" * 65), "invalid_message"),
    "binary_frame": (b'{"type": "ping", "id": "bin"}', "invalid_message"),
}


@pytest.mark.parametrize("name", sorted(BAD_FRAMES))
def test_bad_frame_gets_error_and_connection_stays_open(shared_server, name):
    frame, code = BAD_FRAMES[name]

    async def scenario():
        async with connect(shared_server) as client:
            await client.send(frame)
            error = await client.expect("error")
            assert error["code"] == code, (frame, error)
            assert isinstance(error["message"], str) and error["message"], error
            await client.ping_ok()
    run(scenario())


BAD_REQUESTS = {
    # name: (request with an id, expected code)
    "unknown_type": ({"type": "frobnicate"}, "unknown_type"),
    "subscribe_unknown_channel": ({"type": "subscribe", "channel": "nope"}, "unknown_channel"),
    "unsubscribe_unknown_channel": ({"type": "unsubscribe", "channel": "nope"},
                                    "unknown_channel"),
    "subscribe_missing_channel": ({"type": "subscribe"}, "invalid_message"),
    "subscribe_channel_not_string": ({"type": "subscribe", "channel": 3}, "invalid_message"),
    "subscribe_since_seq_not_int": ({"type": "subscribe", "channel": "market_data",
                                     "since_seq": "5", "epoch": "e"}, "invalid_message"),
    "unsubscribe_missing_channel": ({"type": "unsubscribe"}, "invalid_message"),
}


@pytest.mark.parametrize("id_", ["req-1", 99])
@pytest.mark.parametrize("name", sorted(BAD_REQUESTS))
def test_bad_request_gets_error_with_id_and_connection_stays_open(shared_server, name, id_):
    request, code = BAD_REQUESTS[name]

    async def scenario():
        async with connect(shared_server) as client:
            error = await client.request({**request, "id": id_})
            assert error["type"] == "error", (request, error)
            assert error["code"] == code, (request, error)
            assert isinstance(error["message"], str) and error["message"], error
            if "request_type" in error:
                assert error["request_type"] == request["type"], error
            await client.ping_ok()
    run(scenario())


# Not served by this server's configuration (auth) or naming nothing that exists (a running
# calculation, an alert): each gets an `error` reply echoing the id.
NOT_YET = {
    "cancel": {"type": "cancel", "calculation_id": "c1"},
    "auth": {"type": "auth", "token": "not.a.jwt"},
    "remove_alert": {"type": "remove_alert", "alert_id": "a1"},
}


@pytest.mark.parametrize("name", sorted(NOT_YET))
def test_requests_not_served_yet_get_error_with_id(shared_server, name):
    async def scenario():
        async with connect(shared_server) as client:
            for id_ in (f"{name}-id", 12345):
                reply = await client.request({**NOT_YET[name], "id": id_})
                assert reply["type"] == "error", reply
                assert isinstance(reply["code"], str) and reply["code"], reply
                await client.ping_ok()
    run(scenario())


def test_many_errors_in_a_row_then_normal_service(server):
    async def scenario():
        async with connect(server) as client:
            for frame, _ in BAD_FRAMES.values():
                await client.send(frame)
            errors = await client.publications("error", len(BAD_FRAMES))
            assert [e["code"] for e in errors] == [code for _, code in BAD_FRAMES.values()]
            await client.subscribe("market_data")
            await client.expect("market_update")
            await client.ping_ok()
    run(scenario())
