// One WebSocket client: reads frames, decodes them into messages for its session actor, and
// writes the frames actors hand it through a bounded queue with one write in flight. It lives
// on one I/O lane: only that lane's thread runs its handlers.
#pragma once

#include "gateway/beast.hpp"
#include "gateway/context.hpp"
#include "gateway/outbound_queue.hpp"
#include "gateway/rate_limiter.hpp"

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace rtd {

class ws_connection : public frame_sink, public std::enable_shared_from_this<ws_connection> {
public:
  ws_connection(lane_socket socket, std::shared_ptr<gateway_context> context, io_lane& lane);

  /// Completes the upgrade that `request` asked for, then serves the client.
  void accept(http::request<http::string_body> request);

  delivery_group& group() override { return lane_; }
  bool send(frame f) override;
  void close(close_code code, std::string reason) override;

  /// send() for the connection's own I/O thread: starts writing at once instead of posting.
  void send_here(frame f);

  /// Drops the socket and ends the connection at once. Only when no I/O thread runs.
  void terminate();

private:
  void on_accept(beast::error_code ec);
  void read();
  void on_read(beast::error_code ec);
  void handle_text(std::string_view text);
  void reply_error(protocol::error_code code, std::string message);

  bool enqueue(frame f); // mutex held
  void schedule_flush(); // mutex held
  void flush();          // strand
  void write_next();
  void on_write(beast::error_code ec);

  void start_close(); // strand
  void on_closed(beast::error_code ec);
  void finish(); // strand: the connection is over

  std::string describe() const;

  // First, so that it is destroyed last: it owns the io_context the socket belongs to.
  std::shared_ptr<gateway_context> context_;
  websocket::stream<lane_socket> ws_;
  io_lane& lane_;
  std::uint64_t id_;
  session_actor session_;

  // Reading; strand only.
  beast::flat_buffer read_buffer_;
  rate_limiter limiter_;

  // Filled by any thread, guarded by mutex_.
  std::mutex mutex_;
  outbound_queue queue_;
  bool flush_scheduled_ = false;
  bool closing_ = false;
  close_code close_code_ = close_code::going_away;
  std::string close_reason_;

  // Writing; strand only.
  std::vector<frame> writing_;
  std::size_t writing_bytes_ = 0;
  std::size_t write_index_ = 0;
  bool write_in_flight_ = false;
  bool close_sent_ = false;
  bool finished_ = false;
  std::optional<net::steady_timer> close_deadline_;
};

} // namespace rtd
