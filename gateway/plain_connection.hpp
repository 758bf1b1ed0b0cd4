// A WebSocket client over plain TCP: its socket is watched by the lane's poller (an epoll
// entry, nothing more), read into the lane's shared buffer when readable (no buffer per
// connection while idle), and written with non-blocking gathered sends (batched with the
// lane's other writes, see send_batch.hpp), watched for room only while the kernel's buffer
// is full.
#pragma once

#include "gateway/beast.hpp"
#include "gateway/lane_poller.hpp"
#include "gateway/ws_connection.hpp"

namespace rtd {

class plain_connection final : public ws_connection, public poll_target, public batched_writer {
public:
  /// Takes the socket's descriptor over from Asio.
  plain_connection(lane_socket socket, std::shared_ptr<gateway_context> context, io_lane& lane,
                   std::uint64_t id);
  ~plain_connection() override;

  /// Starts serving (see ws_connection::start) and reading.
  void run(std::string_view early, auth::verification verified);

  void terminate() override;

private:
  void on_readable() override;
  void on_writable() override;
  void write_queued() override;
  void close_transport() override;
  int descriptor() const override { return fd_; }
  std::size_t gather(iovec* buffers, std::size_t max) override;
  void sent(long result) override;
  /// What a send's `result` (bytes, or -errno) means for the queue; false: the socket failed.
  bool wrote(long result);
  /// Ends the connection; it stays alive until the lane's current work is done.
  void end();

  int fd_;
  bool waiting_to_write_ = false;
  std::size_t batch_ticket_ = 0; ///< while a write waits in the lane's batch
  /// While the poller may name this connection: released only after the lane's current
  /// batch of events, so that no event reaches a destroyed connection.
  std::shared_ptr<plain_connection> registered_;
};

} // namespace rtd
