// One HTTP client before (or instead of) a WebSocket, over plain TCP or TLS: reads requests
// bounded in header and body size and in time, refuses malformed and ambiguous ones
// (smuggling shapes) with 400 and closes, serves the routes, and hands a valid upgrade on /ws
// to a WebSocket connection of the same transport. Internal to gateway/.
#pragma once

#include "gateway/beast.hpp"
#include "gateway/http_routes.hpp"

#include <memory>

namespace rtd {

struct gateway_context;
class io_lane;

/// Serves a newly accepted client on its lane (TLS first when the gateway has a certificate).
void serve_connection(lane_socket socket, std::shared_ptr<gateway_context> context, io_lane& lane);

} // namespace rtd
