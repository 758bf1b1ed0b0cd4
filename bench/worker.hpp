#pragma once
// One event loop's share of the connections: connects them (a bounded number of handshakes
// in flight), tracks which are ready, runs the measured window and counts what every mode
// counts. A mode derives from it and says what to send and how to judge what comes back.

#include "bench/message.hpp"
#include "bench/options.hpp"
#include "bench/worker_result.hpp"
#include "bench/ws_client.hpp"

#include <atomic>
#include <cstdint>
#include <vector>

namespace rtd::bench {

class worker : public ws_events {
public:
  /// Connections [first, first + count) of the run, made on `loop`.
  worker(const options& opts, std::size_t first, std::size_t count, event_loop& loop);

  /// Loop thread: starts connecting.
  void start();
  /// Any thread: every connection is ready or has failed.
  bool settled() const { return settled_.load() >= conns_.size(); }
  /// Loop thread: the window is [t0, t1) in wall-clock microseconds; the loop stops at t1.
  void begin(std::int64_t t0, std::int64_t t1);
  /// After the loop has stopped.
  worker_result& result() { return result_; }

protected:
  struct conn {
    ws_client* client = nullptr;
    std::int64_t last_seq = -1;  ///< fanout: last publication seq seen
    std::uint64_t in_window = 0; ///< fanout: deliveries in the window
    std::int64_t sent_at = 0;    ///< ping, calc: steady_us() of the request in flight
    std::uint64_t sent = 0;      ///< ping, calc: requests sent
    bool open = false, ready = false, settled = false, closed = false, started = false;
  };

  /// The handshake completed.
  virtual void opened(conn& c) = 0;
  /// A frame arrived (already counted, errors already noted).
  virtual void received(conn& c, const message& m, std::int64_t now_wall) = 0;
  /// The warm-up began: closed-loop modes send their first requests.
  virtual void warmup_started() {}
  /// The window ended: add per-connection figures to result_.
  virtual void finished() {}

  /// The connection is ready for the window (subscribed, or open for request modes).
  void mark_ready(conn& c);
  /// The connection will never be ready.
  void mark_failed(conn& c);
  bool in_window(std::int64_t now_wall) const { return now_wall >= t0_ && now_wall < t1_; }
  bool measuring() const { return began_; }
  void note_error(const std::string& what);
  std::size_t global_index(const conn& c) const {
    return first_ + static_cast<std::size_t>(&c - conns_.data());
  }

  const options& opts_;
  std::vector<conn> conns_;
  worker_result result_;

private:
  void on_open(ws_client& c) override;
  void on_message(ws_client& c, char* data, std::size_t size) override;
  void on_close(ws_client& c, bool was_open, const std::string& reason) override;
  void connect_more();
  void end();
  conn& state(ws_client& c) { return conns_[c.index() - first_]; }

  event_loop& loop_;
  std::size_t first_;
  std::size_t next_ = 0;      ///< next connection to start
  std::size_t in_flight_ = 0; ///< handshakes under way
  std::atomic<std::size_t> settled_{0};
  std::uint64_t frames_ = 0, bad_frames_ = 0, errors_ = 0;
  std::int64_t t0_ = INT64_MAX, t1_ = INT64_MAX;
  bool began_ = false, ended_ = false;
};

} // namespace rtd::bench
