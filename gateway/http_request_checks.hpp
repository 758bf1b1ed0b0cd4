// What the gateway checks of an HTTP request before serving it: pure functions of the request,
// with no connection behind them (so that the fuzzer and the unit tests call them as the
// connection does). Internal to gateway/.
#pragma once

#include "gateway/beast.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rtd {

/// The largest request head the gateway reads (a larger one gets 413).
inline constexpr std::uint32_t http_header_limit = 16 * 1024;

/// Where a request's target points: the path of an origin-form ("/a?b") or absolute-form
/// ("http://host/a?b") target; empty for anything else.
std::string_view target_path(std::string_view target);

/// Why `req` cannot be served unambiguously (a missing or repeated Host, a Transfer-Encoding
/// other than chunked, both Content-Length and Transfer-Encoding), or nothing.
std::optional<std::string> malformed(const http::request<http::string_body>& req);

} // namespace rtd
