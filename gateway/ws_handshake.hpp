// The WebSocket opening handshake (RFC 6455 section 4.2) as the server checks and answers it:
// method, version, Upgrade and Connection tokens, a key of exactly 16 base64 bytes, the
// Origin against the allowlist. Internal to gateway/.
#pragma once

#include "gateway/beast.hpp"

#include <string>
#include <variant>
#include <vector>

namespace rtd {

/// Why an upgrade is refused, as the HTTP answer says it.
struct handshake_refusal {
  http::status status = http::status::bad_request;
  std::string message;
};

/// Which browser origins may open a WebSocket: the listed ones ("*" for any), and always
/// the server's own (Origin matching Host) and clients that send no Origin (not browsers).
struct origin_policy {
  std::vector<std::string> allowed;
};

/// The `Sec-WebSocket-Accept` value for a valid upgrade, or why it is refused.
std::variant<std::string, handshake_refusal>
check_upgrade(const http::request<http::string_body>& req, const origin_policy& origins);

/// The 101 answer to an upgrade that passed check_upgrade.
http::response<http::empty_body> switching_protocols(const std::string& accept, unsigned version);

/// True when `key` is the base64 text of exactly 16 bytes (24 characters, canonical padding).
bool valid_websocket_key(std::string_view key);

/// Whether `header` (a comma-separated list) holds `token`, ignoring case.
bool has_token(std::string_view header, std::string_view token);

} // namespace rtd
