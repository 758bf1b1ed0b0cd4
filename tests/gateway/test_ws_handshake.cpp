// The upgrade request's checks and the HTTP request shapes refused before routing.
#include "gateway/http_request_checks.hpp"
#include "gateway/ws_handshake.hpp"

#include <doctest/doctest.h>

using namespace rtd;

namespace {

using http_request = http::request<http::string_body>;

http_request upgrade_request() {
  http_request req{http::verb::get, "/ws", 11};
  req.set(http::field::host, "localhost:8000");
  req.set(http::field::upgrade, "websocket");
  req.set(http::field::connection, "keep-alive, Upgrade");
  req.set(http::field::sec_websocket_version, "13");
  req.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
  return req;
}

http::status refused(const http_request& req, const origin_policy& origins = {}) {
  auto r = check_upgrade(req, origins);
  auto no = std::get_if<handshake_refusal>(&r);
  return no ? no->status : http::status::ok;
}

} // namespace

TEST_CASE("a valid upgrade gets the RFC 6455 accept key") {
  auto r = check_upgrade(upgrade_request(), {});
  REQUIRE(std::holds_alternative<std::string>(r));
  CHECK(std::get<std::string>(r) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="); // RFC 6455 section 1.3
}

TEST_CASE("keys must be 16 bytes of canonical base64") {
  CHECK(valid_websocket_key("dGhlIHNhbXBsZSBub25jZQ=="));
  CHECK_FALSE(valid_websocket_key(""));
  CHECK_FALSE(valid_websocket_key("dGhlIHNhbXBsZSBub25jZQ"));   // no padding
  CHECK_FALSE(valid_websocket_key("dGhlIHNhbXBsZSBub25jZQ="));  // 23 characters
  CHECK_FALSE(valid_websocket_key("dGhlIHNhbXBsZSBub25jZR==")); // non-canonical last char
  CHECK_FALSE(valid_websocket_key("dGhlIHNhbXBsZSBub25j!Q==")); // not base64
  CHECK_FALSE(valid_websocket_key("YWJj"));                     // 3 bytes
  auto req = upgrade_request();
  req.set(http::field::sec_websocket_key, "YWJj");
  CHECK(refused(req) == http::status::bad_request);
}

TEST_CASE("wrong method, version, Upgrade or Connection are refused") {
  auto post = upgrade_request();
  post.method(http::verb::post);
  CHECK(refused(post) == http::status::bad_request);
  auto v8 = upgrade_request();
  v8.set(http::field::sec_websocket_version, "8");
  CHECK(refused(v8) == http::status::upgrade_required);
  auto no_upgrade = upgrade_request();
  no_upgrade.erase(http::field::upgrade);
  CHECK(refused(no_upgrade) == http::status::upgrade_required);
  auto no_connection = upgrade_request();
  no_connection.set(http::field::connection, "keep-alive");
  CHECK(refused(no_connection) == http::status::upgrade_required);
}

TEST_CASE("origins: same origin and none by default, the allowlist otherwise") {
  auto same = upgrade_request();
  same.set(http::field::origin, "http://localhost:8000");
  CHECK(refused(same) == http::status::ok);
  auto other = upgrade_request();
  other.set(http::field::origin, "https://evil.example");
  CHECK(refused(other) == http::status::forbidden);
  CHECK(refused(other, {{"https://evil.example"}}) == http::status::ok);
  CHECK(refused(other, {{"*"}}) == http::status::ok);
  CHECK(refused(other, {{"https://good.example"}}) == http::status::forbidden);
}

TEST_CASE("Connection tokens are matched as a list, ignoring case") {
  CHECK(has_token("keep-alive, Upgrade", "upgrade"));
  CHECK(has_token("UPGRADE", "upgrade"));
  CHECK_FALSE(has_token("upgrades", "upgrade"));
  CHECK_FALSE(has_token("", "upgrade"));
}

TEST_CASE("request targets: origin form and absolute form") {
  CHECK(target_path("/health") == "/health");
  CHECK(target_path("/api/history/market_data?limit=5") == "/api/history/market_data");
  CHECK(target_path("http://localhost:8000/health?x") == "/health");
  CHECK(target_path("http://localhost:8000") == "/");
  CHECK(target_path("*").empty());
  CHECK(target_path("health").empty());
}

TEST_CASE("ambiguous requests are refused before routing") {
  http_request ok{http::verb::get, "/health", 11};
  ok.set(http::field::host, "a");
  CHECK_FALSE(malformed(ok));
  http_request no_host{http::verb::get, "/health", 11};
  CHECK(malformed(no_host));
  auto two_hosts = ok;
  two_hosts.insert(http::field::host, "b");
  CHECK(malformed(two_hosts));
  auto gzip = ok;
  gzip.set(http::field::transfer_encoding, "gzip");
  CHECK(malformed(gzip));
  auto both = ok;
  both.set(http::field::transfer_encoding, "chunked");
  both.set(http::field::content_length, "5");
  CHECK(malformed(both));
  http_request old{http::verb::get, "/health", 10};
  CHECK_FALSE(malformed(old)); // HTTP/1.0 may omit Host
}
