// The calculation service actor: one per node. Validates `calculate` requests, resolves
// "market" to the current market discount rate, answers repeated requests from the result
// cache and starts a calculation job for the others; tracks jobs per session (limits,
// duplicate ids, cancel, cancel on disconnect) and keeps the figures for system_status.
#pragma once

#include "actors/interfaces.hpp"
#include "actors/result_cache.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

namespace rtd {

struct calculation_service_config {
  std::size_t max_per_session = 4; ///< jobs running at once per session
  std::size_t cache_max_entries = 1000;
  std::chrono::milliseconds cache_ttl{300000};
  std::uint64_t chunk_iterations = 65536;
};

struct calculation_service_state {
  static inline const char* name = "calculation_service";

  struct job_entry {
    calculation_job_actor actor;
    caf::actor_addr requester;
    std::string calculation_id;
    protocol::calculation_type type;
    bool live;
    std::string cache_key; ///< empty: the result is not cached
    frame_sink_ptr requester_sink;
  };

  calculation_service_config config;
  channel_actor calculations;
  std::optional<double> market_rate;
  std::uint64_t market_seq = 0; ///< of the market_update that carried market_rate

  std::unordered_map<std::uint64_t, job_entry> jobs;
  std::map<std::pair<caf::actor_addr, std::string>, std::uint64_t> job_of; ///< by request
  std::unordered_map<caf::actor_addr, std::size_t> jobs_per_session;
  std::uint64_t next_job = 1;
  std::uint64_t next_generated_id = 1; ///< for requests without a calculation_id

  std::optional<result_cache> cache;
  std::uint64_t completed = 0;
  std::uint64_t failed = 0;
  double total_ms = 0.0;
};

calculation_service_actor::behavior_type
calculation_service(calculation_service_actor::stateful_pointer<calculation_service_state> self,
                    calculation_service_config config, channel_actor calculations);

} // namespace rtd
