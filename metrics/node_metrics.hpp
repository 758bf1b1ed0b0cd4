// A node's metrics, served as GET /metrics in the Prometheus text format. One object per
// node owns them all: a prometheus::Registry for the cold counters and histograms (updated
// where they happen, through prometheus-cpp's thread-safe objects), the I/O lanes' hot-path
// figures (single-writer counters folded in when scraped), the gauges and counters that
// their owners register as sources, and the process's CPU and memory.
//
// Threading: the cold-path members and the source registration are safe from any thread
// (scheduler, I/O or job threads alike); a lane's writers are for its own thread only;
// collect() and serialize() may run on any thread, concurrently with everything else.
#pragma once

#include "metrics/lane_collector.hpp"
#include "metrics/process_metrics.hpp"
#include "metrics/source_collector.hpp"
#include "protocol/messages.hpp"

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace rtd::metrics {

/// The Content-Type of serialize()'s text.
inline constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

/// Why a WebSocket upgrade was refused (label `reason`).
enum class refusal_reason : std::uint8_t {
  connection_limit, ///< the node's connection limit was reached
  shutting_down,    ///< the node had begun to shut down
  unauthorized,     ///< the upgrade carried no valid token where one is required
};
inline constexpr std::size_t refusal_reason_count = 3;
inline constexpr std::array<std::string_view, refusal_reason_count> reason_names{
    "connection_limit", "shutting_down", "unauthorized"};

/// How a calculation ended (label `status`, spelt as the protocol's statuses).
enum class calculation_outcome : std::uint8_t { completed, failed, cancelled };
inline constexpr std::size_t calculation_outcome_count = 3;

/// Close codes with a label of their own (`code`, e.g. "1008"); any other counts as "other".
inline constexpr std::array<std::uint16_t, 10> labelled_close_codes{1000, 1001, 1002, 1003, 1006,
                                                                    1007, 1008, 1009, 1011, 1013};

/// Families for the sources that the node's owner registers (see README.md).
namespace sources {
inline constexpr source_family connections_active{"rtd_connections_active",
                                                  "WebSocket connections open now"};
inline constexpr source_family subscriptions{"rtd_subscriptions",
                                             "Client subscriptions per channel now"};
inline constexpr source_family calculations_running{"rtd_calculations_running",
                                                    "Calculations running now"};
inline constexpr source_family cache_entries{"rtd_cache_entries",
                                             "Results held in the calculation result cache"};
inline constexpr source_family cache_size{"rtd_cache_size_bytes",
                                          "Bytes of the results held in the result cache"};
inline constexpr source_family history_writes{"rtd_history_writes_total",
                                              "Publications written to the history store"};
inline constexpr source_family history_backlog{
    "rtd_history_backlog", "Publications waiting to be written to the history store"};
inline constexpr source_family cluster_members{"rtd_cluster_members",
                                               "Live cluster members, this node included"};
inline constexpr source_family cluster_leader{"rtd_cluster_is_leader",
                                              "1 when this node is the cluster leader, else 0"};
inline constexpr source_family cluster_link_messages{
    "rtd_cluster_link_messages_total",
    "Publications a channel of this node sent to other nodes (forwards to the leader, relays)"};
inline constexpr source_family redis_connected{
    "rtd_redis_connected", "1 while the Redis connection of this role is ready, else 0"};
inline constexpr source_family redis_published{
    "rtd_redis_published_total", "Publications Redis accepted (PUBLISH, or XADD to the stream)"};
inline constexpr source_family redis_dropped{"rtd_redis_dropped_total",
                                             "Publications not written to Redis, by reason"};
inline constexpr source_family redis_ingested{"rtd_redis_ingested_total",
                                              "Messages from Redis published into rtd"};
inline constexpr source_family redis_invalid{
    "rtd_redis_invalid_total", "Messages from Redis refused: invalid, or larger than the limit"};
inline constexpr source_family redis_rate_limited{
    "rtd_redis_rate_limited_total",
    "Messages from Redis dropped over the ingest rate, or while too many are pending"};
} // namespace sources

class node_metrics {
public:
  /// Buckets of rtd_calculation_duration_seconds: 1 ms to 60 s.
  static const std::vector<double> calculation_buckets;

  /// `lanes`: the gateway's I/O threads, each with lane_metrics of its own.
  explicit node_metrics(std::size_t lanes);

  node_metrics(const node_metrics&) = delete;
  node_metrics& operator=(const node_metrics&) = delete;

  // ---- hot path: one lane per I/O thread ---------------------------------------------------

  /// The figures of I/O lane `index` (< lane_count(); std::out_of_range otherwise). Only that
  /// lane's thread may write them.
  lane_metrics& lane(std::size_t index) { return lanes_.lane(index); }
  std::size_t lane_count() const { return lanes_.size(); }

  /// Any thread: the lanes' figures summed now, e.g. for the rates of system_status.
  lane_totals traffic() const { return lanes_.totals(); }

  // ---- cold path: any thread ---------------------------------------------------------------

  /// A WebSocket upgrade was accepted (rtd_connections_total).
  void connection_accepted() { accepted_.Increment(); }

  /// A WebSocket upgrade was refused (rtd_connections_refused_total{reason}).
  void connection_refused(refusal_reason reason);

  /// A WebSocket connection ended with `code`, sent or received; 1006 when no close frame was
  /// exchanged (rtd_connections_closed_total{code}).
  void connection_closed(std::uint16_t code);

  /// Connections ended with labelled_close_codes[i] so far (then "other"), for system_status.
  std::array<std::uint64_t, labelled_close_codes.size() + 1> closed_counts() const;

  /// Upgrades refused so far, by refusal_reason.
  std::array<std::uint64_t, refusal_reason_count> refused_counts() const;

  /// A publication was numbered on `channel` (rtd_publications_total{channel}).
  void published(protocol::channel channel);

  /// A calculation ended, cache answers included (rtd_calculations_total{type,status}).
  void calculation_finished(protocol::calculation_type type, calculation_outcome outcome);

  /// A calculation that ran (not a cache answer) took `seconds` from start to its last update
  /// (rtd_calculation_duration_seconds{type}).
  void observe_calculation_duration(protocol::calculation_type type,
                                    std::chrono::duration<double> seconds);

  /// A lookup of the result cache found a fresh result (rtd_cache_hits_total).
  void cache_hit() { cache_hits_.Increment(); }
  /// A lookup of the result cache found none (rtd_cache_misses_total).
  void cache_miss() { cache_misses_.Increment(); }
  /// The result cache dropped its least recently used entry (rtd_cache_evictions_total).
  void cache_eviction() { cache_evictions_.Increment(); }

  // ---- read when scraped -------------------------------------------------------------------

  /// Registers a gauge series read by `read` at every scrape (from any thread; see
  /// source_reader for what `read` may do). Throws std::invalid_argument as
  /// source_collector::add says, built-in names being reserved.
  void add_gauge_source(const source_family& family, prometheus::Labels labels, source_reader read);

  /// Registers a counter series read by `read` at every scrape; `read` must never go down.
  void add_counter_source(const source_family& family, prometheus::Labels labels,
                          source_reader read);

  // ---- scraping: any thread ----------------------------------------------------------------

  /// Every family, lanes folded and sources read now; families sorted by name, samples by
  /// labels.
  std::vector<prometheus::MetricFamily> collect() const;

  /// collect() in the Prometheus text exposition format (version 0.0.4).
  std::string serialize() const;

private:
  void add_source(prometheus::MetricType type, const source_family& family,
                  prometheus::Labels labels, source_reader read);

  prometheus::Registry registry_;
  prometheus::Counter& accepted_;
  std::array<prometheus::Counter*, refusal_reason_count> refused_{};
  /// One per labelled_close_codes entry, then "other".
  std::array<prometheus::Counter*, labelled_close_codes.size() + 1> closed_{};
  std::array<prometheus::Counter*, protocol::all_channels.size()> published_{};
  std::array<std::array<prometheus::Counter*, calculation_outcome_count>,
             protocol::all_calculation_types.size()>
      calculations_{};
  std::array<prometheus::Histogram*, protocol::all_calculation_types.size()> durations_{};
  prometheus::Counter& cache_hits_;
  prometheus::Counter& cache_misses_;
  prometheus::Counter& cache_evictions_;
  lane_collector lanes_;
  process_collector process_;
  source_collector sources_;
  std::set<std::string> builtin_names_; ///< of the families above, which sources may not take
};

} // namespace rtd::metrics
