// One I/O thread's share of the gateway: an io_context that only that thread runs (so the
// connections on it need no strand), the delivery lane of those connections, the buffer they
// read into, and the periodic check of their timers (one timer per lane, none per
// connection).
#pragma once

#include "actors/frame_sink.hpp"
#include "gateway/beast.hpp"
#include "gateway/lane_poller.hpp"
#include "gateway/send_batch.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace rtd {

class ws_connection;

class io_lane final : public delivery_lane {
public:
  using clock = std::chrono::steady_clock;

  /// `send_batch`: sends submitted in one system call at most (0: each its own).
  explicit io_lane(unsigned send_batch);

  net::io_context& io() { return io_; }

  /// Queues `job` for the lane's thread; drops it once the lane is closed.
  void execute(std::function<void()> job) override;

  /// At shutdown, once no I/O thread runs: runs what is queued and drops every job given to
  /// execute from now on. A job holds its sink, and through it this lane: one left queued in a
  /// lane nobody runs again would keep both alive forever.
  void close();

  /// Where this lane's connections read: one read at a time runs on a lane, so they share it.
  std::vector<char>& read_buffer() { return read_buffer_; }

  /// Watches this lane's plain sockets.
  lane_poller& poller() { return poller_; }

  /// Where the writes of this lane's plain sockets wait for one submission.
  send_batch& writes() { return writes_; }

  /// The time of the last timer check: precise enough for timeouts, and free.
  clock::time_point now() const { return now_; }

  /// Registers a connection for its timers and for shutdown; lane thread.
  void add(ws_connection& c);
  void remove(ws_connection& c);
  std::size_t size() const { return connections_.size(); }

  /// Calls `f` on every connection of the lane; lane thread.
  template <class F> void for_each(F&& f) {
    // `f` may end connections, which removes them: iterate over a copy.
    auto copy = connections_;
    for (auto* c : copy)
      f(*c);
  }

  /// Starts checking the connections' timers every `period`.
  void start_timers(clock::duration period);
  void stop_timers();

private:
  void check_timers();
  /// Runs every job queued so far, in order, their writes in one submission.
  void run_jobs();

  /// Jobs a lane keeps room for between bursts (a burst may be one per connection).
  static constexpr std::size_t kept_job_capacity = 1024;

  net::io_context io_{1};
  std::atomic<bool> closed_{false};
  std::atomic<std::uint32_t> posting_{0}; ///< calls of execute under way
  std::mutex jobs_mutex_;
  std::vector<std::function<void()>> jobs_;    ///< queued by execute; one run is posted for them
  std::vector<std::function<void()>> running_; ///< the jobs of the run under way (lane thread)
  send_batch writes_;
  lane_poller poller_;
  std::vector<char> read_buffer_ = std::vector<char>(64 * 1024);
  std::vector<ws_connection*> connections_; ///< each knows its index (swap-remove)
  clock::time_point now_ = clock::now();
  clock::duration period_{};
  std::optional<net::steady_timer> timer_;
};

} // namespace rtd
