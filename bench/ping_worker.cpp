// ping: closed loop per connection, one ping in flight: round trips and RTT in the window.

#include "bench/modes.hpp"
#include "bench/proc_stats.hpp"

namespace rtd::bench {

namespace {

class ping_worker final : public worker {
public:
  using worker::worker;

private:
  void opened(conn& c) override { mark_ready(c); }

  void warmup_started() override {
    for (auto& c : conns_)
      if (c.ready && !c.closed)
        send_ping(c);
  }

  void send_ping(conn& c) {
    c.sent_at = steady_us();
    ++c.sent;
    c.client->send(R"({"type":"ping"})");
  }

  void received(conn& c, const message& m, std::int64_t now) override {
    if (!measuring() || (m.type != frame_type::pong && m.type != frame_type::error))
      return;
    if (m.type == frame_type::pong && in_window(now)) {
      ++round_trips_;
      result_.latency_us.record(steady_us() - c.sent_at);
    }
    send_ping(c); // an error (say, rate_limited) answers the ping too: keep the loop going
  }

  void finished() override {
    result_.sums["round_trips"] += round_trips_;
    auto now = steady_us();
    for (auto& c : conns_)
      if (c.ready && !c.closed && c.sent > 0 && now - c.sent_at > 1'000'000)
        ++result_.sums["stalled"];
  }

  std::uint64_t round_trips_ = 0;
};

} // namespace

std::unique_ptr<worker> make_ping_worker(const options& opts, std::size_t first, std::size_t count,
                                         event_loop& loop) {
  return std::make_unique<ping_worker>(opts, first, count, loop);
}

} // namespace rtd::bench
