#include "actors/system_monitor.hpp"

#include "actors/process_stats.hpp"

#include <caf/all.hpp>

namespace rtd {

namespace {

using self_pointer = system_monitor_actor::stateful_pointer<system_monitor_state>;
using clock_type = std::chrono::steady_clock;

/// An actor that does not answer within this is left out of the status.
constexpr auto reply_timeout = std::chrono::seconds(1);

double per_second(std::uint64_t now, std::uint64_t before, double seconds) {
  return seconds > 0 ? static_cast<double>(now - before) / seconds : 0.0;
}

/// What the limits dropped, closed and refused so far.
void add_limits(const metrics::node_metrics& m, const metrics::lane_totals& counted,
                protocol::system_status& s) {
  s.rate_limited = counted.rate_limited;
  auto closed = m.closed_counts();
  for (std::size_t i = 0; i < closed.size(); ++i)
    s.closed_by_code.emplace_back(i < metrics::labelled_close_codes.size()
                                      ? std::to_string(metrics::labelled_close_codes[i])
                                      : std::string{"other"},
                                  closed[i]);
  auto refused = m.refused_counts();
  for (std::size_t i = 0; i < refused.size(); ++i)
    s.refused_by_reason.emplace_back(metrics::reason_names[i], refused[i]);
}

/// Fills in everything but the subscriber counts.
protocol::system_status local_figures(system_monitor_state& st) {
  auto now = clock_type::now();
  auto counted = st.metrics->traffic();
  auto in = counted.received;
  auto out = counted.sent;
  double elapsed = std::chrono::duration<double>(now - st.last_time).count();
  protocol::system_status s;
  add_limits(*st.metrics, counted, s);
  s.node = st.config.node;
  s.uptime_s = std::chrono::duration<double>(now - st.started).count();
  s.connections_active = st.traffic->connections_active.load(std::memory_order_relaxed);
  s.connections_total = st.traffic->connections_total.load(std::memory_order_relaxed);
  s.messages_in_per_s = per_second(in, st.last_in, elapsed);
  s.messages_out_per_s = per_second(out, st.last_out, elapsed);
  s.rss_bytes = resident_set_bytes();
  s.nodes.push_back({st.config.node, "up"});
  st.last_time = now;
  st.last_in = in;
  st.last_out = out;
  return s;
}

void reply_arrived(self_pointer self) {
  auto& st = self->state;
  if (--st.awaited_replies == 0)
    self->send(channel_of(st.channels, protocol::channel::system),
               protocol::publication_body{std::move(st.draft)});
}

void gather(self_pointer self) {
  auto& st = self->state;
  st.draft = local_figures(st);
  st.awaited_replies = st.channels.size() + 1;
  self->request(st.calculations, reply_timeout, caf::get_atom::value)
      .then(
          [self](const calculation_stats& c) {
            auto& d = self->state.draft;
            d.cache_hits = c.cache_hits;
            d.cache_misses = c.cache_misses;
            d.cache_entries = c.cache_entries;
            d.cache_evictions = c.cache_evictions;
            d.calculations_running = c.running;
            d.calculations_completed = c.completed;
            d.calculations_failed = c.failed;
            d.calculations_avg_ms = c.avg_ms;
            reply_arrived(self);
          },
          [self](caf::error&) { reply_arrived(self); });
  for (auto c : protocol::all_channels) {
    self->request(channel_of(st.channels, c), reply_timeout, caf::get_atom::value)
        .then(
            [self, c](std::uint64_t count) {
              self->state.draft.subscribers[static_cast<std::size_t>(c)] = count;
              reply_arrived(self);
            },
            [self](caf::error&) { reply_arrived(self); });
  }
}

} // namespace

system_monitor_actor::behavior_type
system_monitor(self_pointer self, system_monitor_config config, channel_set channels,
               calculation_service_actor calculations,
               std::shared_ptr<const traffic_counters> traffic,
               std::shared_ptr<const metrics::node_metrics> metrics) {
  auto& st = self->state;
  st.config = std::move(config);
  st.channels = std::move(channels);
  st.calculations = std::move(calculations);
  st.traffic = std::move(traffic);
  st.metrics = std::move(metrics);
  st.started = st.last_time = clock_type::now();
  gather(self);
  self->delayed_send(self, st.config.interval, caf::tick_atom::value);
  return {
      [self](caf::tick_atom) {
        // A round still waiting for a slow channel is skipped rather than overlapped.
        if (self->state.awaited_replies == 0)
          gather(self);
        self->delayed_send(self, self->state.config.interval, caf::tick_atom::value);
      },
  };
}

} // namespace rtd
