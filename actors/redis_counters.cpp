#include "actors/redis_counters.hpp"

namespace rtd {

void register_redis_metrics(metrics::node_metrics& metrics,
                            std::shared_ptr<const redis_counters> counters, bool ingesting) {
  namespace sources = metrics::sources;
  auto read = [&counters](const std::atomic<std::uint64_t> redis_counters::*member) {
    return [counters, member] {
      return static_cast<double>(((*counters).*member).load(std::memory_order_relaxed));
    };
  };
  for (auto role : {redis_role::publish, redis_role::subscribe}) {
    if (role == redis_role::subscribe && !ingesting)
      continue;
    auto index = static_cast<std::size_t>(role);
    metrics.add_gauge_source(
        sources::redis_connected,
        {{"connection", role == redis_role::publish ? "publish" : "subscribe"}}, [counters, index] {
          return counters->connected[index].load(std::memory_order_relaxed) ? 1.0 : 0.0;
        });
  }
  metrics.add_counter_source(sources::redis_published, {{"target", "pubsub"}},
                             read(&redis_counters::published));
  metrics.add_counter_source(sources::redis_published, {{"target", "stream"}},
                             read(&redis_counters::streamed));
  metrics.add_counter_source(sources::redis_dropped, {{"reason", "queue_full"}},
                             read(&redis_counters::queue_full));
  metrics.add_counter_source(sources::redis_dropped, {{"reason", "disconnected"}},
                             read(&redis_counters::disconnected));
  metrics.add_counter_source(sources::redis_dropped, {{"reason", "failed"}},
                             read(&redis_counters::failed));
  metrics.add_counter_source(sources::redis_ingested, {}, read(&redis_counters::ingested));
  metrics.add_counter_source(sources::redis_invalid, {}, read(&redis_counters::invalid));
  metrics.add_counter_source(sources::redis_rate_limited, {}, read(&redis_counters::rate_limited));
}

} // namespace rtd
