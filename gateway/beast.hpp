// The Beast and Asio names the gateway uses. Internal to gateway/.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace rtd {
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

/// Every socket lives on one lane's io_context: naming that executor type, rather than Asio's
/// type-erased default, saves a dispatch through any_io_executor on every operation.
using lane_executor = net::io_context::executor_type;
using lane_socket = net::basic_stream_socket<tcp, lane_executor>;
/// HTTP needs per-request timeouts; WebSocket uses Beast's own and the bare socket.
using http_stream = beast::basic_stream<tcp, lane_executor, beast::unlimited_rate_policy>;
} // namespace rtd
