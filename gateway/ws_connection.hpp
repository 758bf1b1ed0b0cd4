// One WebSocket client after its upgrade: parses its frames (ws_frame_parser), turns its
// messages into messages for its session actor, and writes what actors queue for it through
// one bounded, conflating queue. Lives on one I/O lane: only that lane's thread runs its
// members; actors reach it through frame_sink, which goes through the lane. The transport
// (plain TCP or TLS) is a subclass.
#pragma once

#include "actors/interfaces.hpp"
#include "auth/jwt_verifier.hpp"
#include "gateway/io_lane.hpp"
#include "gateway/outbound_queue.hpp"
#include "gateway/rate_limiter.hpp"
#include "gateway/ws_frame_parser.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace rtd {

struct gateway_context;

class ws_connection : public frame_sink {
public:
  using clock = std::chrono::steady_clock;

  ~ws_connection() override;

  /// Writes `welcome`, spawns the session actor with `verified` (what the upgrade request's
  /// token gave), then serves the client, starting with `early`: bytes it sent right after its
  /// upgrade request.
  void start(std::string_view early, auth::verification verified);

  /// Closes with `code` after what is queued (server shutdown: 1001).
  void close_gracefully(close_code code, std::string reason);

  /// Enforces the close deadline and the idle timeout; the lane calls it periodically.
  void check_timers(clock::time_point now);

  /// Drops the socket and ends the connection at once (when no I/O thread runs any more).
  virtual void terminate() = 0;

  std::uint64_t id() const { return id_; }

protected:
  ws_connection(std::shared_ptr<gateway_context> context, io_lane& lane, std::uint64_t id);

  /// The transport read `size` bytes into `data` (which may be modified).
  void on_input(char* data, std::size_t size);

  /// The transport wrote some of the queue, or found it could: finish what depends on it.
  void on_progress();

  /// The peer closed the TCP connection, or it failed: the connection is over.
  void finish();

  /// Writes what the queue holds, as much as the socket takes now; on_progress() after.
  virtual void write_queued() = 0;

  /// Closes the socket; pending operations end and call finish().
  virtual void close_transport() = 0;

  bool finished() const { return finished_; }

  /// This lane's traffic counters (lane thread only).
  metrics::lane_metrics& counts() const { return *lane_.metrics(); }

  // First, so that it is destroyed last: it owns the io_context the socket belongs to.
  std::shared_ptr<gateway_context> context_;
  io_lane& lane_;
  outbound_queue queue_;

private:
  friend class io_lane;

  void accept(const outbound* items, std::size_t count) override;
  void close_on_lane(close_code code, std::string reason) override;
  void when_drained_on_lane(std::size_t low_water, std::function<void()> f) override;

  void parse(char* data, std::size_t size, std::size_t& consumed);
  void on_message(std::string_view payload, bool text);
  void on_text(std::string_view text);
  void on_close_frame(std::uint16_t code, std::string_view reason);
  void reply(frame f);
  void reply_error(protocol::error_code code, std::string message);
  bool push(const outbound& item);
  /// Queues a close frame with `code`; drops what is queued first when `drop_queued`.
  void start_close(close_code code, std::string_view reason, bool drop_queued);
  void notify(std::string message) const;

  /// Who waits for the queue to drain (rarely set: kept out of line).
  struct drain_watch {
    std::size_t low_water;
    std::function<void()> notify;
  };

  std::uint64_t id_;
  std::size_t lane_slot_ = 0; ///< position in its lane's list
  session_actor session_;
  rate_limiter limiter_;
  ws_frame_parser parser_;
  std::string carry_;            ///< bytes of an incomplete frame, until the rest arrives
  clock::time_point last_input_; ///< for the idle timeout
  clock::time_point close_by_{}; ///< while closing: when the socket is dropped regardless
  std::unique_ptr<drain_watch> on_drained_;
  std::uint16_t close_code_ = 1006; ///< sent or received; 1006: none (the socket just ended)
  bool pinged_ = false;             ///< an idle probe is out
  bool closing_ = false;            ///< our close frame is queued: nothing else is sent
  bool input_stopped_ = false;      ///< the client closed, or violated the protocol: input is over
  bool finished_ = false;
};

} // namespace rtd
