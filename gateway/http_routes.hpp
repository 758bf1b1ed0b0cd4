// The gateway's HTTP routes: health, readiness, the dashboard's static files and the REST
// API. Answers now or later (a route that asks an actor answers from its reply): `respond`
// may be called from any thread. Internal to gateway/.
#pragma once

#include "gateway/beast.hpp"

#include <functional>
#include <string_view>

namespace rtd {

struct gateway_context;

using http_request = http::request<http::string_body>;
using http_response = http::response<http::string_body>;
using http_responder = std::function<void(http_response)>;

/// Answers `req`, whose target's path is `path`, through `respond`, exactly once.
void route_http(const http_request& req, std::string_view path, gateway_context& context,
                http_responder respond);

} // namespace rtd
