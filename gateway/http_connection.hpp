// One plain HTTP client: serves the REST routes and hands WebSocket upgrades on /ws to a
// ws_connection. Requests are bounded in header and body size and in time.
#pragma once

#include "gateway/beast.hpp"
#include "gateway/context.hpp"

#include <memory>
#include <optional>

namespace rtd {

class http_connection : public std::enable_shared_from_this<http_connection> {
public:
  http_connection(lane_socket socket, std::shared_ptr<gateway_context> context, io_lane& lane);

  void run();

private:
  using request = http::request<http::string_body>;
  using response = http::response<http::string_body>;

  void read();
  void on_read(beast::error_code ec);
  void upgrade(request req);
  void publish_notification(const request& req);
  void write(response res);
  void on_write(bool keep_alive, beast::error_code ec);

  // First, so that it is destroyed last: it owns the io_context the socket belongs to.
  std::shared_ptr<gateway_context> context_;
  http_stream stream_;
  io_lane& lane_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
};

} // namespace rtd
