// The calculation service actor: one per node. Validates `calculate` requests, resolves
// their market inputs ("market" to the current market discount rate or the analytics'
// volatility, a forecast's window to the points of the series it records from the market
// steps), answers repeated requests from the result cache and starts a calculation job for
// the others, within the node's caps: calculations
// at once, per session and node-wide, and the memory they hold (Monte Carlo keeps its samples
// when the budget allows, else streams them, else the request is refused). Small jobs run on
// the actors' scheduler, heavy ones on the calculation executor. Tracks jobs (duplicate ids,
// cancel, cancel on disconnect, shutdown ends them all) and keeps the figures for
// system_status. In a cluster, a node that runs `offload_above` calculations or more hands a
// new one to the least-loaded member (actors/calculation_offload.hpp).
#pragma once

#include "actors/calculation_pool.hpp"
#include "actors/history_outbox.hpp"
#include "actors/interfaces.hpp"
#include "actors/market_series.hpp"
#include "actors/memory_budget.hpp"
#include "actors/result_cache.hpp"
#include "actors/result_persistence.hpp"
#include "metrics/node_metrics.hpp"

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace rtd {

/// What /metrics and the cluster read of the service, updated after each change.
struct calculation_gauges {
  std::atomic<std::uint64_t> running{0}; ///< calculations running on this node
  std::atomic<std::uint64_t> cache_entries{0};
  std::atomic<std::uint64_t> cache_bytes{0};
};

struct calculation_service_config {
  std::size_t max_per_session = 4;        ///< calculations at once per session
  std::size_t max_calculations = 256;     ///< calculations at once on the node
  std::uint64_t memory_bytes = 128 << 20; ///< what running calculations may hold, node-wide
  std::uint64_t chunk_work = 1 << 20;     ///< work units per chunk on the executor (~3 ms)
  std::uint64_t inline_work = 100'000;    ///< up to this, a job runs at once (~0.3 ms)
  std::size_t cache_max_entries = 1000;
  std::uint64_t cache_max_bytes = 16 << 20;
  std::chrono::milliseconds cache_ttl{300000};
  std::chrono::milliseconds cache_sweep{1000}; ///< how often expired entries are removed
  std::size_t forecast_history = 10'000;       ///< market steps recorded for forecasts
  /// In a cluster: with this many calculations running here, a new one goes to the member
  /// that runs the fewest, when it runs fewer than this node; 0: every one runs here.
  std::size_t offload_above = 0;
  /// How long a member may take to answer a hand-over before the calculation fails.
  std::chrono::milliseconds offload_timeout{10000};
  /// Not an option: where cached results are kept across restarts (set by the node).
  result_persistence persistence{};
  /// Not an option: where the service's figures are read (see calculation_gauges).
  std::shared_ptr<calculation_gauges> figures = std::make_shared<calculation_gauges>();
};

struct calculation_service_state {
  static inline const char* name = "calculation_service";

  struct job_entry {
    calculation_job_actor actor; ///< null while it runs on another member
    /// Where the job's updates go: the channel, or the stand-in of a job taken from another
    /// node (see calculation_offload.hpp).
    calculation_publisher_actor publisher;
    caf::actor_addr requester;
    std::string calculation_id;
    protocol::calculation_type type;
    /// A live job's request, to resolve its inputs again when the market moves; null when
    /// not live or when nothing of the market is among its inputs.
    std::shared_ptr<const protocol::calculate_request> live;
    std::optional<result_cache::key> cache_key; ///< nothing: the result is not cached
    frame_sink_ptr requester_sink;
    /// A client's cancel went to the job: its reply is the job's `cancelled`, or `not_found`
    /// from the service if the job ended otherwise first.
    std::optional<protocol::correlation_id> cancel;
    /// Handed to another member: its name, the job's stand-in there once it answered, and
    /// the request until then (run here after all if the member refuses it).
    std::string worker;
    calculation_stand_in_actor stand_in;
    std::shared_ptr<calculation_request> handing_over;
  };

  calculation_service_config config;
  channel_actor calculations;
  std::shared_ptr<calculation_executor> executor;
  std::shared_ptr<memory_budget> memory;
  /// The last `config.forecast_history` market steps (the newest carries the market rate).
  market_series series{1};
  std::optional<protocol::analytics_update> analytics; ///< the latest

  std::unordered_map<std::uint64_t, job_entry> jobs;
  std::map<std::pair<caf::actor_addr, std::string>, std::uint64_t> job_of; ///< by request
  std::unordered_map<caf::actor_addr, std::size_t> jobs_per_session;
  std::size_t offloaded = 0;        ///< jobs of this node's clients running elsewhere
  std::vector<member_view> members; ///< the other live members with a calculation service
  std::uint64_t next_job = 1;
  std::uint64_t next_generated_id = 1; ///< for requests without a calculation_id

  std::optional<result_cache> cache;
  history_outbox<store::stored_result> unsaved; ///< results cached, for the store's next write
  bool sweep_pending = false;                   ///< a cache sweep is scheduled
  std::uint64_t completed = 0;
  std::uint64_t failed = 0;
  std::uint64_t refused = 0; ///< over the node's caps
  double total_ms = 0.0;

  /// Where calculations and the cache are counted for /metrics; null: not counted.
  std::shared_ptr<metrics::node_metrics> metrics;
};

/// `executor` runs heavy jobs' chunks (the node's calculation_pool); without one they run at
/// once, as small ones do. `metrics` may be null.
calculation_service_actor::behavior_type
calculation_service(calculation_service_actor::stateful_pointer<calculation_service_state> self,
                    calculation_service_config config, channel_actor calculations,
                    std::shared_ptr<calculation_executor> executor,
                    std::shared_ptr<metrics::node_metrics> metrics);

} // namespace rtd
