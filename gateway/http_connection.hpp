// One HTTP client before (or instead of) a WebSocket: reads requests bounded in header and
// body size and in time, refuses malformed and ambiguous ones (smuggling shapes) with 400 and
// closes, serves the routes, and hands a valid upgrade on /ws to a WebSocket connection.
// Internal to gateway/.
#pragma once

#include "gateway/beast.hpp"
#include "gateway/http_routes.hpp"

#include <memory>
#include <optional>

namespace rtd {

struct gateway_context;
class io_lane;

class http_connection : public std::enable_shared_from_this<http_connection> {
public:
  http_connection(lane_socket socket, std::shared_ptr<gateway_context> context, io_lane& lane);
  ~http_connection();

  void run();

private:
  void read();
  void on_read(beast::error_code ec);
  void upgrade(http_request req);
  void write(http_response res);
  void refuse(http::status status, std::string message, bool keep_alive = false);

  // First, so that it is destroyed last: it owns the io_context the socket belongs to.
  std::shared_ptr<gateway_context> context_;
  http_stream stream_;
  io_lane& lane_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  unsigned version_ = 11;
};

} // namespace rtd
