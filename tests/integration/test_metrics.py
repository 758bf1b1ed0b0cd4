"""GET /metrics: the Prometheus text format, parsed by python3-prometheus-client's parser; its
counters move as clients connect, subscribe, send and are closed for limits; its histograms
have consistent buckets; with --require-auth it needs its own token."""

import os

import pytest

from support import connect, http_request, run

parser = pytest.importorskip("prometheus_client.parser")


def scrape(server, headers=None):
    status, response_headers, body = http_request(server, "GET", "/metrics", headers=headers)
    assert status == 200, body
    assert response_headers["Content-Type"].startswith("text/plain; version=0.0.4")
    samples = {}
    families = {}
    for family in parser.text_string_to_metric_families(body.decode()):
        families[family.name] = family
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return families, samples


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_counters_move_with_the_traffic(start_server):
    server = start_server(market_interval_ms=50, max_message_size=100)
    _, before = scrape(server)

    async def scenario():
        async with connect(server) as client:
            await client.subscribe("market_data")
            await client.publications("market_update", 3)
            _, during = scrape(server)
            assert value(during, "rtd_subscriptions", channel="market_data") == 1
            assert value(during, "rtd_connections_active") == 1
            await client.ping_ok()
        async with connect(server) as offender:
            await offender.send("x" * 200)
            assert await offender.close_code() == 1009
    run(scenario())
    families, after = scrape(server)
    assert value(after, "rtd_connections_total") == value(before, "rtd_connections_total") + 2
    assert value(after, "rtd_connections_closed_total", code="1009") == 1
    assert value(after, "rtd_messages_received_total") >= 2  # subscribe, ping (not the big one)
    assert value(after, "rtd_messages_sent_total") > value(before, "rtd_messages_sent_total")
    assert value(after, "rtd_publications_total", channel="market_data") >= 3
    assert value(after, "rtd_deliveries_total") >= 2  # the first came with the subscription
    assert value(after, "rtd_subscriptions", channel="market_data") == 0
    assert value(after, "process_resident_memory_bytes") > 0
    # Publications reach the history store in batches of at most --history-flush-ms (20 ms).
    assert value(after, "rtd_history_writes_total") > value(before, "rtd_history_writes_total")
    assert ("rtd_history_backlog", ()) in after
    # Not clustered: a cluster of one, which leads.
    assert value(after, "rtd_cluster_members") == 1
    assert value(after, "rtd_cluster_is_leader") == 1
    # Histograms: cumulative buckets, +Inf equal to the count.
    for name in ("rtd_publish_latency_seconds", "rtd_calculation_duration_seconds"):
        family = families[name]
        series = {}
        for s in family.samples:
            if s.name.endswith("_bucket"):
                key = tuple(sorted((k, v) for k, v in s.labels.items() if k != "le"))
                series.setdefault(key, []).append((float(s.labels["le"]), s.value))
        for key, buckets in series.items():
            counts = [c for _, c in sorted(buckets)]
            assert counts == sorted(counts), (name, key, buckets)
            total = value(after, name + "_count", **dict(key))
            assert sorted(buckets)[-1] == (float("inf"), total), (name, key)
    assert value(after, "rtd_publish_latency_seconds_count") >= 2


def test_metrics_need_their_token_when_auth_is_on(start_server, tmp_path):
    secret = tmp_path / "jwt.secret"
    secret.write_text("s3cret-for-tests-only-0123456789abcdef\n")
    token = tmp_path / "metrics.token"
    token.write_text("scrape-token-0123456789abcdef-0123456789\n")
    for f in (secret, token):
        os.chmod(f, 0o600)
    server = start_server(require_auth=True, jwt_secret_file=secret, metrics_token_file=token)
    assert http_request(server, "GET", "/metrics")[0] == 401
    wrong = {"Authorization": "Bearer not-the-token"}
    assert http_request(server, "GET", "/metrics", headers=wrong)[0] == 401
    right = {"Authorization": "Bearer scrape-token-0123456789abcdef-0123456789"}
    scrape(server, right)
