// calc: closed loop per connection, one npv calculation in flight: `calculate` ->
// calculation_update started, processing..., completed; result.npv is checked against a local
// computation.

#include "bench/modes.hpp"
#include "bench/proc_stats.hpp"

#include <cmath>
#include <cstdio>
#include <string>

namespace rtd::bench {

namespace {

/// protocol.md: npv = -initial_investment + sum of cash_flows[t-1] / (1 + r)^t.
double local_npv(const double* cash_flows, int n, double rate, double initial) {
  double total = -initial;
  for (int t = 1; t <= n; ++t)
    total += cash_flows[t - 1] / std::pow(1 + rate, t);
  return total;
}

class calc_worker final : public worker {
public:
  using worker::worker;

private:
  struct request {
    std::string id;
    double expected = 0;
  };

  void opened(conn& c) override { mark_ready(c); }

  void warmup_started() override {
    pending_.resize(conns_.size());
    for (auto& c : conns_)
      if (c.ready && !c.closed)
        send_calc(c);
  }

  void send_calc(conn& c) {
    auto index = global_index(c);
    auto& r = pending_[static_cast<std::size_t>(&c - conns_.data())];
    // Distinct parameters (the default) make every request a cache miss on a server that
    // caches results; --calc-params same sends the protocol's example every time.
    double cf[3] = {100000, 120000, 140000};
    if (!opts_.calc_same_params) {
      cf[0] += static_cast<double>(c.sent);
      cf[1] += static_cast<double>(index);
    }
    const double rate = 0.10, initial = 300000;
    r.id = "c" + std::to_string(index) + "-" + std::to_string(c.sent);
    r.expected = local_npv(cf, 3, rate, initial);
    char text[320];
    std::snprintf(text, sizeof text,
                  R"({"type":"calculate","calculation_id":"%s","calculation_type":"npv",)"
                  R"("parameters":{"cash_flows":[%.17g,%.17g,%.17g],"discount_rate":%.17g,)"
                  R"("initial_investment":%.17g}})",
                  r.id.c_str(), cf[0], cf[1], cf[2], rate, initial);
    c.started = false;
    c.sent_at = steady_us();
    ++c.sent;
    c.client->send(text);
  }

  void received(conn& c, const message& m, std::int64_t now) override {
    if (!measuring())
      return;
    auto& r = pending_[static_cast<std::size_t>(&c - conns_.data())];
    if (m.type == frame_type::error) {
      // A refused request (its error carries the calculation_id) ends the round trip.
      send_calc(c);
      return;
    }
    if (m.type != frame_type::calculation_update || m.calculation_id != r.id)
      return;
    if (m.status == "started") {
      c.started = true;
      return;
    }
    if (m.status == "processing") {
      ++processing_;
      return;
    }
    if (m.status == "completed") {
      if (!c.started)
        ++violations_; // completed without started
      if (in_window(now)) {
        ++calcs_;
        result_.latency_us.record(steady_us() - c.sent_at);
      }
      ++checked_;
      double tolerance = 1e-9 * std::max(1.0, std::fabs(r.expected));
      if (!m.has_npv || !(std::fabs(m.npv - r.expected) <= tolerance)) {
        ++wrong_;
        note_error("calculation " + r.id + ": npv " +
                   (m.has_npv ? std::to_string(m.npv) : std::string("missing")) + ", expected " +
                   std::to_string(r.expected));
      }
    } else {
      ++failed_; // failed, cancelled or unknown
      note_error("calculation " + r.id + " ended with status " + m.status);
    }
    send_calc(c);
  }

  void finished() override {
    result_.sums["calcs"] += calcs_;
    result_.sums["checked"] += checked_;
    result_.sums["wrong_values"] += wrong_;
    result_.sums["calc_failed"] += failed_;
    result_.sums["processing_updates"] += processing_;
    result_.sums["protocol_violations"] += violations_;
    auto now = steady_us();
    for (auto& c : conns_)
      if (c.ready && !c.closed && c.sent > 0 && now - c.sent_at > 1'000'000)
        ++result_.sums["stalled"];
  }

  std::vector<request> pending_;
  std::uint64_t calcs_ = 0, checked_ = 0, wrong_ = 0, failed_ = 0, processing_ = 0, violations_ = 0;
};

} // namespace

std::unique_ptr<worker> make_calc_worker(const options& opts, std::size_t first, std::size_t count,
                                         event_loop& loop) {
  return std::make_unique<calc_worker>(opts, first, count, loop);
}

} // namespace rtd::bench
