// The calculation job actor: one per calculation. Sends `started`, runs its task in chunks
// with `processing` updates in between (at most every ~100 ms or 5%), and ends with exactly
// one of `completed`, `failed` or `cancelled`. A live job stays after `completed` and runs
// again whenever the market moves the rate it uses, until cancelled.
#pragma once

#include "actors/calculation_task.hpp"
#include "actors/interfaces.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace rtd {

struct calculation_job_config {
  std::uint64_t job = 0; ///< the service's number for it
  std::string calculation_id;
  protocol::calculate_request request;
  double rate = 0.0;            ///< the discount rate used for "market"
  std::uint64_t market_seq = 0; ///< seq of the market_update that carried `rate`; 0: none
  caf::actor_addr requester;
  frame_sink_ptr requester_sink;
  channel_actor calculations;
  calculation_service_actor service;
  std::uint64_t chunk_iterations = 65536; ///< Monte Carlo iterations between yields
};

struct calculation_job_state {
  static inline const char* name = "calculation_job";

  calculation_job_config config;
  std::optional<calculation_task> task;
  std::chrono::steady_clock::time_point started;
  std::chrono::steady_clock::time_point last_report;
  int last_progress = 0;
};

calculation_job_actor::behavior_type
calculation_job(calculation_job_actor::stateful_pointer<calculation_job_state> self,
                calculation_job_config config);

} // namespace rtd
