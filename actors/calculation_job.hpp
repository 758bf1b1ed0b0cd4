// The calculation job actor: one per calculation. Sends `started`, runs its task, and ends
// with exactly one of `completed`, `failed` or `cancelled`. A small calculation runs to the
// end in the job's first turn on the actors' scheduler, and its `started` and final update
// go out together; a heavy one runs chunk by chunk on the calculation executor (threads that
// serve no client), with `processing` updates in between (at most every ~100 ms or 5%) and
// a cancel taking effect at once. A live job stays after `completed` and runs again whenever
// the market moves its inputs (the service sends them: job_inputs), until cancelled.
#pragma once

#include "actors/calculation_pool.hpp"
#include "actors/calculation_task.hpp"
#include "actors/interfaces.hpp"
#include "actors/memory_budget.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace rtd {

struct calculation_job_config {
  std::uint64_t job = 0; ///< the service's number for it
  std::string calculation_id;
  protocol::calculate_request request;
  protocol::market_inputs inputs; ///< what "market" stands for, a forecast's window
  std::uint64_t market_seq = 0;   ///< seq of the market_update `inputs` come from; 0: none
  caf::actor_addr requester;      ///< its session, or the stand-in of a job from another node
  frame_sink_ptr requester_sink;
  calculation_publisher_actor publisher; ///< where its updates go (see calculation_publication)
  calculation_service_actor service;
  /// Where its chunks run; null: each run at once, in the job's own turn.
  std::shared_ptr<calculation_executor> executor;
  std::uint64_t chunk_work = 1 << 20; ///< work units per chunk (see calculation_cost)
  std::uint64_t sample_memory = 0;    ///< bytes Monte Carlo may keep its samples in
  /// What the service reserved for it; held until the job and its last chunk are gone.
  std::shared_ptr<const memory_budget::reservation> memory;
  bool cache_result = false; ///< the service caches the result: the outcome carries it
};

struct calculation_job_state {
  static inline const char* name = "calculation_job";

  calculation_job_config config;
  /// The current run's work; shared with the chunk running on the executor, if any.
  std::shared_ptr<calculation_task> task;
  std::uint64_t run = 0; ///< numbers runs, so that a chunk of a replaced run is ignored
  std::chrono::steady_clock::time_point started;
  std::chrono::steady_clock::time_point last_report;
  int last_progress = 0;
  /// Updates held back to go out with the next one (an inline job's `started`).
  std::vector<protocol::calculation_update> unsent;
};

calculation_job_actor::behavior_type
calculation_job(calculation_job_actor::stateful_pointer<calculation_job_state> self,
                calculation_job_config config);

} // namespace rtd
