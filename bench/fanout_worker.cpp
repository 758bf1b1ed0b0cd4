// fanout and conns: subscribe to market_data, then count publications: deliveries and
// publish-to-receipt latency in the window, seq gaps over the whole run (a jump a conflating
// server announces with "skipped" counts as skipped, not as a gap). ingest: the same on
// notifications, the latency from the send time its publisher wrote in each message.

#include "bench/modes.hpp"
#include "bench/proc_stats.hpp"

#include <algorithm>

namespace rtd::bench {

namespace {

class fanout_worker final : public worker {
public:
  fanout_worker(const options& opts, std::size_t first, std::size_t count, event_loop& loop)
      : worker(opts, first, count, loop), ingest_(opts.mode == mode::ingest) {}

private:
  void opened(conn& c) override {
    c.client->send(ingest_ ? R"({"type":"subscribe","channel":"notifications"})"
                           : R"({"type":"subscribe","channel":"market_data"})");
  }

  void received(conn& c, const message& m, std::int64_t now) override {
    if (m.type == frame_type::subscribed) {
      mark_ready(c);
      return;
    }
    if (m.type == frame_type::error && !c.ready) {
      mark_failed(c); // the subscription was refused
      return;
    }
    if (m.type != (ingest_ ? frame_type::notification : frame_type::market_update))
      return;
    if (m.seq < 0) {
      ++missing_seq_;
    } else {
      if (c.last_seq >= 0) {
        if (m.seq > c.last_seq + 1) {
          // A conflating server says how many it replaced: only the rest are lost.
          auto missed = m.seq - c.last_seq - 1;
          skipped_ += static_cast<std::uint64_t>(std::min(missed, m.skipped));
          gaps_ += static_cast<std::uint64_t>(std::max<std::int64_t>(0, missed - m.skipped));
        } else if (m.seq <= c.last_seq)
          ++disorder_;
      }
      c.last_seq = std::max(c.last_seq, m.seq);
    }
    if (!in_window(now))
      return;
    ++deliveries_;
    ++c.in_window;
    auto sent = ingest_ ? m.sent_us : m.timestamp_us;
    if (sent < 0)
      ++missing_timestamp_;
    else
      result_.latency_us.record(now - sent);
    if (m.seq >= 0) {
      seq_min_ = std::min(seq_min_, m.seq);
      seq_max_ = std::max(seq_max_, m.seq);
    }
  }

  void finished() override {
    result_.sums["deliveries"] += deliveries_;
    result_.sums["seq_gaps"] += gaps_;
    result_.sums["skipped"] += skipped_;
    result_.sums["seq_disorder"] += disorder_;
    result_.sums["missing_seq"] += missing_seq_;
    result_.sums["missing_timestamp"] += missing_timestamp_;
    if (seq_max_ >= 0) {
      result_.set_min("seq_min", seq_min_);
      result_.set_max("seq_max", seq_max_);
    }
    for (auto& c : conns_)
      if (c.ready) {
        result_.set_min("last_seq_min", c.last_seq);
        result_.set_max("last_seq_max", c.last_seq);
        result_.set_min("per_conn_min", static_cast<std::int64_t>(c.in_window));
        result_.set_max("per_conn_max", static_cast<std::int64_t>(c.in_window));
      }
  }

  bool ingest_;
  std::uint64_t deliveries_ = 0, gaps_ = 0, skipped_ = 0, disorder_ = 0, missing_seq_ = 0,
                missing_timestamp_ = 0;
  std::int64_t seq_min_ = INT64_MAX, seq_max_ = -1;
};

} // namespace

std::unique_ptr<worker> make_fanout_worker(const options& opts, std::size_t first,
                                           std::size_t count, event_loop& loop) {
  return std::make_unique<fanout_worker>(opts, first, count, loop);
}

} // namespace rtd::bench
