// libFuzzer harness of the HTTP side of the gateway: bytes from a client before its upgrade,
// parsed by Beast's request parser with the gateway's limits, as pipelined requests; each
// request then goes through what the gateway does with it (the refusal of ambiguous shapes,
// the target's path, the upgrade checks with an origin allowlist, the bearer token).
#include "gateway/bearer_token.hpp"
#include "gateway/http_request_checks.hpp"
#include "gateway/ws_handshake.hpp"
#include "tests/fuzz/require.hpp"

#include <cstdint>
#include <string_view>

namespace {

using namespace rtd;
using rtd::fuzz::require;

std::string_view view(beast::string_view s) {
  return {s.data(), s.size()};
}

void check_upgrade_of(const http::request<http::string_body>& req) {
  const origin_policy origins{{"https://allowed.example"}};
  auto checked = check_upgrade(req, origins);
  if (auto refusal = std::get_if<handshake_refusal>(&checked)) {
    require(!refusal->message.empty());
    return;
  }
  // Accepted: a GET over HTTP/1.1 with a valid key, and its 101 can be made.
  require(req.method() == http::verb::get && req.version() >= 11);
  require(std::get<std::string>(checked).size() == 28); // base64 of a SHA-1
  switching_protocols(std::get<std::string>(checked), req.version());
}

void check_request(const http::request<http::string_body>& req) {
  malformed(req);
  const auto target = view(req.target());
  const auto path = target_path(target);
  require(path.empty() || (path.front() == '/' && path.find('?') == std::string_view::npos));
  check_upgrade_of(req);
  require(bearer_token(req).size() <= target.size() + view(req[http::field::authorization]).size());
  require(query_parameter(target, "token").size() <= target.size());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::size_t at = 0;
  while (at < size) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(http_header_limit);
    parser.body_limit(64 * 1024); // the default --max-http-body
    parser.eager(true);
    while (!parser.is_done()) {
      beast::error_code ec;
      const auto used = parser.put(net::buffer(data + at, size - at), ec);
      require(used <= size - at);
      at += used;
      if (ec || used == 0)
        return 0; // refused (400, 413) or incomplete: the connection reads no further
    }
    check_request(parser.release());
  }
  return 0;
}
