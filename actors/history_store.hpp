// The history store actor: one per node, detached (its own thread, since SQLite blocks),
// the only user of the node's history database. Channels hand it every publication (gathered,
// see history_outbox.hpp); it writes them in batches (by count, and by a short timer), applies
// each channel's retention, and answers history pages and coverage for recoveries. It also
// keeps the calculation service's results, so that the cache outlives a restart. A
// publication never waits for the disk: when a write fails (disk full, read-only) the batch
// is kept, bounded, and retried, the failure logged (rate-limited) and reported in
// system_status until writing resumes.
#pragma once

#include "actors/interfaces.hpp"
#include "actors/log_throttle.hpp"
#include "store/history_db.hpp"

#include <caf/actor_clock.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace rtd {

/// How much of one channel's history is kept; 0 leaves a bound out.
struct retention_limits {
  std::chrono::seconds max_age{0};
  std::uint64_t max_rows = 0;
  std::uint64_t max_bytes = 0; ///< of frames
};

/// What /metrics shows of the store, read from other threads when scraped.
struct history_gauges {
  std::atomic<std::uint64_t> written{0}; ///< publications written since start
  std::atomic<std::uint64_t> backlog{0}; ///< publications waiting to be written
};

struct history_store_config {
  std::size_t batch_rows = 500;                   ///< a batch is written once this many wait
  std::chrono::milliseconds flush_interval{20};   ///< or this long after the first one arrived
  std::chrono::milliseconds retry_interval{1000}; ///< after a failed write
  std::chrono::seconds retention_interval{60};    ///< age limits apply even without writes
  std::size_t backlog_bytes = 64 << 20;           ///< unwritten frames kept while writes fail
  std::chrono::milliseconds result_ttl{300000};   ///< stored calculation results expire after
  /// Longest a calculation result waits to be written. Results are a cache: writing them a
  /// while later costs a kill -9 at most that while of them, and writes only those still
  /// worth keeping (under a stream of distinct requests most are evicted by newer ones).
  std::chrono::milliseconds result_flush_interval{1000};
  /// Per channel, indexed by protocol::channel.
  std::array<retention_limits, protocol::all_channels.size()> retention{};
  /// Not an option: where the node's metrics read the store's figures; may be null.
  std::shared_ptr<history_gauges> gauges{};
};

/// The defaults of the issue: market_data a week, calculations 10,000 rows or 64 MiB,
/// notifications 30 days or 10,000 rows, system a day, analytics a week.
history_store_config default_history_store_config();

struct history_store_state {
  static inline const char* name = "history_store";

  history_store_config config;
  std::shared_ptr<store::history_db> db;
  store::retention_policies retention; ///< config.retention, by channel name

  std::vector<store::publication> pending; ///< oldest first
  std::size_t pending_bytes = 0;
  std::vector<store::stored_result> pending_results; ///< calculation results, oldest first
  std::size_t pending_result_bytes = 0;
  caf::actor_clock::time_point results_due; ///< when the pending results are written
  /// When the earliest flush timer sent ends, if one is pending.
  std::optional<caf::actor_clock::time_point> flush_at;
  std::string degraded; ///< the last write failure; empty while writes succeed

  std::uint64_t written = 0;
  std::uint64_t dropped = 0;
  std::uint64_t write_errors = 0;
  log_throttle warnings{std::chrono::seconds(10)};
};

history_store_actor::behavior_type
history_store(history_store_actor::stateful_pointer<history_store_state> self,
              history_store_config config, std::shared_ptr<store::history_db> db);

} // namespace rtd
