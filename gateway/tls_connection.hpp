// A WebSocket client over TLS (wss://): the same protocol logic as plain_connection, over
// Beast's SSL stream. TLS keeps its own buffers, so this connection reads into a buffer of its
// own and writes with one asynchronous write in flight (the queued frames it gathered stay
// queued, and counted, until written).
#pragma once

#include "gateway/tls.hpp"
#include "gateway/ws_connection.hpp"

#include <array>
#include <vector>

namespace rtd {

class tls_connection final : public ws_connection {
public:
  tls_connection(tls_stream stream, std::shared_ptr<gateway_context> context, io_lane& lane,
                 std::uint64_t id);

  /// Starts serving (see ws_connection::start) and reading.
  void run(std::string_view early, auth::verification verified);

  void terminate() override;

private:
  static constexpr std::size_t max_gather = 64;

  void read();
  void on_read(beast::error_code ec, std::size_t n);
  void write_queued() override;
  void on_written(beast::error_code ec, std::size_t n);
  void close_transport() override;

  std::shared_ptr<tls_connection> self() {
    return std::static_pointer_cast<tls_connection>(shared_from_this());
  }

  tls_stream stream_;
  std::array<char, 4096> input_;
  std::vector<net::const_buffer> writing_; ///< the frames being written
  bool write_in_flight_ = false;
};

} // namespace rtd
