// Where a client puts its token: `Authorization: Bearer <token>`, or the `token` query
// parameter (browsers cannot set headers on a WebSocket upgrade). Internal to gateway/.
#pragma once

#include "gateway/beast.hpp"

#include <string>

namespace rtd {

/// The token of `req`, or an empty string.
std::string bearer_token(const http::request<http::string_body>& req);

/// The value of query parameter `name` in `target`, percent-decoded; empty when absent.
std::string query_parameter(std::string_view target, std::string_view name);

} // namespace rtd
