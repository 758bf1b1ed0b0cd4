"""Security: TLS (https and wss), JWT authentication and roles, token expiry, the secure
default for non-loopback addresses."""

import asyncio
import os
import socket
import ssl
import subprocess
import time

import jwt
import pytest
import websockets

from support import SERVER_BINARY, connect, http_request, run, server_args

SECRET = "s3cret-for-tests-only-0123456789abcdef"


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1, made with the openssl CLI; and a client
    context that trusts it."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    context = ssl.create_default_context(cafile=str(cert))
    return cert, key, context


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "jwt.secret"
    path.write_text(SECRET + "\n")
    os.chmod(path, 0o600)
    return path


def token(sub="alice", roles=("admin",), ttl=3600, secret=SECRET, **claims):
    now = int(time.time())
    payload = {"sub": sub, "exp": now + ttl, "roles": list(roles), **claims}
    return jwt.encode(payload, secret, algorithm="HS256")


def auth_server(start_server, secret_file, **flags):
    return start_server(require_auth=True, jwt_secret_file=secret_file, jwt_leeway_s=0,
                        market_interval_ms=100, **flags)


# --- TLS ------------------------------------------------------------------------------------


def test_https_and_wss_with_a_certificate(start_server, certificate):
    cert, key, context = certificate
    server = start_server(tls_cert=cert, tls_key=key, market_interval_ms=100,
                          ssl_context=context)
    assert server.url.startswith("https://") and server.ws_url.startswith("wss://")
    status, _, body = http_request(server, "GET", "/health")
    assert status == 200, body
    status, headers, body = http_request(server, "GET", "/")
    assert status == 200 and b"<html" in body.lower()  # the dashboard works over https

    async def scenario():
        async with connect(server) as client:
            await client.ping_ok()
            await client.subscribe("market_data")
            await client.expect("market_update")
    run(scenario())


def test_tls_below_1_2_and_plain_http_are_refused(start_server, certificate):
    cert, key, context = certificate
    server = start_server(tls_cert=cert, tls_key=key, ssl_context=context)
    old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    old.load_verify_locations(cafile=str(cert))
    old.maximum_version = ssl.TLSVersion.TLSv1_1
    with socket.create_connection((server.host, server.port), timeout=5) as raw:
        with pytest.raises(ssl.SSLError):
            old.wrap_socket(raw, server_hostname="127.0.0.1").do_handshake()
    with socket.create_connection((server.host, server.port), timeout=5) as raw:
        raw.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        raw.settimeout(5)
        assert not raw.recv(100).startswith(b"HTTP/1.1 200")


def test_a_bad_certificate_refuses_to_start(tmp_path):
    missing = tmp_path / "none.pem"
    result = subprocess.run(server_args(tmp_path, tls_cert=missing, tls_key=missing),
                            capture_output=True, text=True, timeout=20)
    assert result.returncode != 0
    assert "cannot load the TLS certificate" in result.stderr + result.stdout


# --- authentication -------------------------------------------------------------------------


def test_without_a_token_unauthorized_then_closed_1008(start_server, secret_file):
    server = auth_server(start_server, secret_file, auth_grace_ms=300)

    async def scenario():
        async with connect(server) as client:
            error = await client.expect("error")
            assert error["code"] == "unauthorized", error
            await client.send({"type": "subscribe", "channel": "market_data", "id": 1})
            refused = await client.expect("error")
            assert refused["code"] == "unauthorized" and refused["id"] == 1, refused
            assert await client.close_code() == 1008
    run(scenario())


def test_token_by_header_by_query_or_by_auth_message(start_server, secret_file):
    server = auth_server(start_server, secret_file)

    async def scenario():
        header = {"Authorization": f"Bearer {token()}"}
        async with connect(server, extra_headers=header) as client:
            assert (await client.subscribe("market_data"))["channel"] == "market_data"
        async with websockets.connect(f"{server.ws_url}?token={token()}") as ws:
            assert '"welcome"' in await ws.recv()
        async with connect(server) as client:
            await client.expect("error")  # unauthorized: no token yet
            reply = await client.request({"type": "auth", "token": token(roles=["analyst"]),
                                          "id": "a"})
            assert reply["type"] == "authenticated", reply
            assert reply["sub"] == "alice" and reply["roles"] == ["analyst"], reply
            await client.subscribe("market_data")
    run(scenario())


def test_roles_system_and_calculate(start_server, secret_file):
    server = auth_server(start_server, secret_file)

    async def scenario():
        viewer = {"Authorization": f"Bearer {token(roles=[])}"}
        async with connect(server, extra_headers=viewer) as client:
            reply = await client.request({"type": "subscribe", "channel": "system", "id": 1})
            assert reply["code"] == "forbidden", reply
            reply = await client.request({"type": "calculate", "calculation_type": "npv",
                                          "id": 2, "parameters": {"cash_flows": [1],
                                                                  "discount_rate": 0.1,
                                                                  "initial_investment": 1}})
            assert reply["code"] == "forbidden", reply
            await client.subscribe("market_data")
        analyst = {"Authorization": f"Bearer {token(roles=['analyst'])}"}
        async with connect(server, extra_headers=analyst) as client:
            await client.send({"type": "calculate", "calculation_type": "npv", "calculation_id": "c",
                               "parameters": {"cash_flows": [1], "discount_rate": 0.1,
                                              "initial_investment": 1}})
            await client.expect("calculation_update", status="started")
            await client.expect("calculation_update", status="completed")
    run(scenario())


@pytest.mark.parametrize("bad", [
    lambda: token(secret="another-secret-another-secret-0123456789"),
    lambda: token(ttl=-10),
    lambda: jwt.encode({"sub": "x", "exp": int(time.time()) + 60}, None, algorithm="none"),
    lambda: jwt.encode({"sub": "x", "exp": int(time.time()) + 60}, SECRET, algorithm="HS512"),
    lambda: token(nbf=int(time.time()) + 600),
    lambda: "not.a.token",
])
def test_bad_tokens_are_unauthorized(start_server, secret_file, bad):
    server = auth_server(start_server, secret_file)

    async def scenario():
        async with connect(server) as client:
            await client.expect("error")
            reply = await client.request({"type": "auth", "token": bad(), "id": "t"})
            assert reply["type"] == "error" and reply["code"] == "unauthorized", reply
    run(scenario())


def test_an_expiring_token_is_renewed_or_the_session_closed(start_server, secret_file):
    server = auth_server(start_server, secret_file, auth_grace_ms=1500)

    async def scenario():
        headers = {"Authorization": f"Bearer {token(ttl=1)}"}
        async with connect(server, extra_headers=headers) as client:
            expired = await client.expect("error", timeout=5)
            assert expired["code"] == "unauthorized" and "expired" in expired["message"], expired
            reply = await client.request({"type": "auth", "token": token(), "id": "renew"})
            assert reply["type"] == "authenticated", reply
            await asyncio.sleep(2)  # past the grace: a renewed session stays open
            await client.ping_ok()
        async with connect(server, extra_headers={
                "Authorization": f"Bearer {token(ttl=1)}"}) as client:
            await client.expect("error", timeout=5)
            assert await client.close_code(timeout=5) == 1008
    run(scenario())


def test_post_notifications_needs_admin(start_server, secret_file):
    server = auth_server(start_server, secret_file)
    body = {"message": "hello"}
    assert http_request(server, "POST", "/api/notifications", body)[0] == 401
    viewer = {"Authorization": f"Bearer {token(roles=['analyst'])}"}
    assert http_request(server, "POST", "/api/notifications", body, viewer)[0] == 403
    admin = {"Authorization": f"Bearer {token(roles=['admin'])}"}
    assert http_request(server, "POST", "/api/notifications", body, admin)[0] == 202


# --- secure default -------------------------------------------------------------------------


def test_non_loopback_without_auth_refuses_to_start(tmp_path):
    result = subprocess.run(server_args(tmp_path, host="0.0.0.0"), capture_output=True,
                            text=True, timeout=20)
    assert result.returncode == 2
    assert "--require-auth" in result.stderr and "--allow-anonymous" in result.stderr


def test_secret_on_the_command_line_is_not_an_option(tmp_path):
    result = subprocess.run(server_args(tmp_path, jwt_secret=SECRET), capture_output=True,
                            text=True, timeout=20)
    assert result.returncode != 0
