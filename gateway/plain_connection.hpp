// A WebSocket client over plain TCP: reads when the socket is readable, into its lane's
// shared buffer (no buffer per connection while idle), and writes the queue with
// non-blocking gathered sends, waiting for the socket only when the kernel's buffer is full.
#pragma once

#include "gateway/beast.hpp"
#include "gateway/ws_connection.hpp"

namespace rtd {

class plain_connection final : public ws_connection {
public:
  plain_connection(lane_socket socket, std::shared_ptr<gateway_context> context, io_lane& lane,
                   std::uint64_t id, auth::verification verified);

  /// Starts serving (see ws_connection::start) and reading.
  void run(std::string_view early);

  void terminate() override;

private:
  void wait_readable();
  void on_readable(beast::error_code ec);
  void write_queued() override;
  void on_writable(beast::error_code ec);
  void close_transport() override;

  std::shared_ptr<plain_connection> self() {
    return std::static_pointer_cast<plain_connection>(shared_from_this());
  }

  lane_socket socket_;
  bool waiting_to_write_ = false;
};

} // namespace rtd
