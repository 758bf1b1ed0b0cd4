#pragma once
// Runs a mode: spreads the connections over processes (--procs) and event loops (--threads),
// waits until every connection is ready, opens the same window for all of them, samples the
// server's CPU time and RSS around it and merges what every loop measured.

#include "bench/options.hpp"
#include "bench/worker_result.hpp"

#include <cstdint>

namespace rtd::bench {

/// Figures of the run as a whole (the coordinator's, not a worker's).
struct run_samples {
  double setup_s = 0;          ///< start to every connection ready (or the setup timeout)
  bool setup_complete = false; ///< every connection settled before the setup timeout
  std::int64_t t0 = 0, t1 = 0; ///< the window, wall-clock microseconds
  double server_cpu_s = -1;    ///< server CPU seconds in the window; < 0: no --pid
  long rss_before_kib = -1;    ///< server RSS before the first connection
  long rss_ready_kib = -1;     ///< ... at the window's start (everything connected)
  long rss_end_kib = -1;       ///< ... at its end
};

/// Runs `opts.mode`; fills `samples` and returns the merged measurements.
worker_result run(const options& opts, run_samples& samples);

} // namespace rtd::bench
