#include "actors/history_store.hpp"

#include "actors/history_pages.hpp"

#include <caf/all.hpp>

namespace rtd {

namespace {

using self_pointer = history_store_actor::stateful_pointer<history_store_state>;
using namespace std::chrono_literals;

std::size_t index_of(protocol::channel c) {
  return static_cast<std::size_t>(c);
}

store::retention_policies policies_of(const history_store_config& config) {
  store::retention_policies policies;
  for (auto c : protocol::all_channels) {
    const auto& l = config.retention[index_of(c)];
    store::retention_policy p;
    if (l.max_age.count() > 0)
      p.max_age_us = std::chrono::duration_cast<std::chrono::microseconds>(l.max_age).count();
    if (l.max_rows > 0)
      p.max_rows = l.max_rows;
    if (l.max_bytes > 0)
      p.max_bytes = l.max_bytes;
    if (p.max_age_us || p.max_rows || p.max_bytes)
      policies.emplace(protocol::to_string(c), p);
  }
  return policies;
}

/// A flush within `delay`: a timer, unless one ends by then.
void arm(self_pointer self, caf::actor_clock::duration_type delay) {
  auto& st = self->state;
  auto due = self->clock().now() + delay;
  if (st.flush_at && *st.flush_at <= due)
    return;
  st.flush_at = due;
  self->delayed_send(self, delay, caf::flush_atom::value);
}

/// A write failed: reported until one succeeds, retried on a timer meanwhile.
void degrade(self_pointer self, const store::error& e) {
  auto& st = self->state;
  ++st.write_errors;
  st.degraded = e.message;
  st.warnings.log(spdlog::level::warn, "history_write_failed",
                  "serving live data and the in-memory ring until writing works: " + e.message,
                  {{"pending", std::to_string(st.pending.size())}});
  arm(self, st.config.retry_interval);
}

/// The age limits, which apply even when nothing is written.
void apply_retention(self_pointer self) {
  auto& st = self->state;
  const auto now_us = to_micros(protocol::now());
  for (const auto& [channel, policy] : st.retention)
    if (auto removed = st.db->apply_retention(channel, policy, now_us); !removed)
      return degrade(self, removed.failure());
}

/// While writes fail, the oldest unwritten publications give way past the backlog bound
/// (the channels' rings still hold the recent ones).
void bound_backlog(history_store_state& st) {
  std::size_t drop = 0;
  while (st.pending_bytes > st.config.backlog_bytes && drop < st.pending.size())
    st.pending_bytes -= st.pending[drop++].frame.size();
  st.pending.erase(st.pending.begin(), st.pending.begin() + static_cast<std::ptrdiff_t>(drop));
  st.dropped += drop;
}

void report(const history_store_state& st) {
  if (!st.config.gauges)
    return;
  st.config.gauges->written.store(st.written, std::memory_order_relaxed);
  st.config.gauges->backlog.store(st.pending.size(), std::memory_order_relaxed);
}

/// Writes the pending results in one transaction once they are due (or now, at shutdown).
/// They are a cache: when the write fails they are given up (the results stay in the
/// service's memory cache).
void flush_results(self_pointer self, bool now = false) {
  auto& st = self->state;
  if (st.pending_results.empty())
    return;
  if (auto left = st.results_due - self->clock().now(); !now && left.count() > 0)
    return arm(self, left);
  auto s = st.db->put_results(std::move(st.pending_results));
  st.pending_results.clear();
  st.pending_result_bytes = 0;
  if (!s)
    degrade(self, s.failure());
}

/// Keeps results for the next results write; of those waiting, only what the table would
/// keep stays once they reach twice its bounds (memory bounded in entries and bytes).
void keep_results(self_pointer self, std::vector<store::stored_result>& results) {
  auto& st = self->state;
  if (st.pending_results.empty())
    st.results_due = self->clock().now() + st.config.result_flush_interval;
  for (auto& r : results) {
    st.pending_result_bytes += r.bytes();
    st.pending_results.push_back(std::move(r));
  }
  const auto limits = st.db->results_capacity();
  if (st.pending_results.size() > 2 * limits.rows || st.pending_result_bytes > 2 * limits.bytes) {
    st.db->keep_storable(st.pending_results);
    st.pending_result_bytes = 0;
    for (const auto& kept : st.pending_results)
      st.pending_result_bytes += kept.bytes();
  }
  flush_results(self);
}

/// Writes what is pending in one transaction; on failure keeps it for a retry.
void flush(self_pointer self) {
  auto& st = self->state;
  flush_results(self);
  if (st.pending.empty())
    return;
  if (auto s = st.db->write_batch(st.pending, st.retention, to_micros(protocol::now())); !s) {
    bound_backlog(st);
    return degrade(self, s.failure());
  }
  if (!st.degraded.empty()) {
    log::info("history_write_resumed", "history written again",
              {{"caught_up", std::to_string(st.pending.size())}});
    st.degraded.clear();
  }
  st.written += st.pending.size();
  st.pending.clear();
  st.pending_bytes = 0;
  report(st);
}

/// Before a read: what was sent before the query is written, unless writes are failing.
void catch_up(self_pointer self) {
  if (self->state.degraded.empty())
    flush(self);
}

void store_publications(self_pointer self, std::vector<archived_publication>& publications) {
  auto& st = self->state;
  for (auto& p : publications) {
    auto payload = p.data->payload();
    st.pending.push_back({std::string{protocol::to_string(p.channel)}, std::move(p.epoch), p.seq,
                          p.time_us, store::shared_text{p.data, payload}});
    st.pending_bytes += payload.size();
  }
  if (!st.degraded.empty()) {
    bound_backlog(st);
    report(st);
    return arm(self, st.config.retry_interval);
  }
  if (st.pending.size() >= st.config.batch_rows)
    flush(self);
  else
    arm(self, st.config.flush_interval);
  report(st);
}

caf::error failure(const store::error& e) {
  return caf::make_error(caf::sec::runtime_error, e.message);
}

coverage coverage_of(history_store_state& st, const coverage_query& q) {
  const auto name = protocol::to_string(q.channel);
  coverage c;
  auto head = st.db->head(name);
  if (!head || head->epoch != q.epoch)
    return c;
  c.through = head->seq;
  auto covered = st.db->covers(name, q.epoch, q.since_seq);
  c.covered = covered && *covered;
  return c;
}

} // namespace

history_store_config default_history_store_config() {
  using protocol::channel;
  history_store_config c;
  constexpr std::uint64_t mib = 1 << 20;
  c.retention[index_of(channel::market_data)] = {std::chrono::hours(24 * 7), 0, 256 * mib};
  c.retention[index_of(channel::calculations)] = {std::chrono::seconds(0), 10'000, 64 * mib};
  c.retention[index_of(channel::notifications)] = {std::chrono::hours(24 * 30), 10'000, 16 * mib};
  c.retention[index_of(channel::system)] = {std::chrono::hours(24), 0, 64 * mib};
  c.retention[index_of(channel::analytics)] = {std::chrono::hours(24 * 7), 0, 256 * mib};
  return c;
}

history_store_actor::behavior_type history_store(self_pointer self, history_store_config config,
                                                 std::shared_ptr<store::history_db> db) {
  auto& st = self->state;
  st.config = std::move(config);
  st.db = std::move(db);
  st.retention = policies_of(st.config);
  // What is still pending at shutdown is written first (the channels' journals hold it too).
  self->set_exit_handler([self](caf::exit_msg& msg) {
    flush_results(self, true); // before flush(), which would only arm a timer for them
    flush(self);
    self->quit(msg.reason);
  });
  self->delayed_send(self, st.config.retention_interval, trim_atom::value);
  return {
      [self](std::vector<archived_publication>& ps) { store_publications(self, ps); },
      [self](std::vector<store::stored_result>& rs) { keep_results(self, rs); },
      [self](history_query& q) -> caf::result<history_page> {
        catch_up(self);
        auto page = store_page(*self->state.db, q);
        if (!page)
          return failure(page.failure());
        return std::move(page).value();
      },
      [self](coverage_query& q) {
        catch_up(self);
        return coverage_of(self->state, q);
      },
      [self](caf::get_atom) {
        auto& st = self->state;
        history_health h;
        h.figures = {true, st.written, st.pending.size(), st.dropped, st.write_errors};
        h.degraded = st.degraded;
        return h;
      },
      [self](caf::flush_atom) {
        auto& st = self->state;
        if (st.flush_at && *st.flush_at <= self->clock().now())
          st.flush_at.reset(); // a later timer may still be on its way: it flushes again
        flush(self);
      },
      [self](trim_atom) {
        auto& st = self->state;
        apply_retention(self);
        const auto ttl =
            std::chrono::duration_cast<std::chrono::microseconds>(st.config.result_ttl);
        if (auto erased = st.db->erase_expired(to_micros(protocol::now()), ttl.count()); !erased)
          degrade(self, erased.failure());
        self->delayed_send(self, self->state.config.retention_interval, trim_atom::value);
      },
  };
}

} // namespace rtd
