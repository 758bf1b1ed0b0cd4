#pragma once
// The result line: one JSON object with every figure of the run.

#include "bench/options.hpp"
#include "bench/runner.hpp"
#include "bench/worker_result.hpp"

#include <string>

namespace rtd::bench {

/// The JSON line (without a newline) for `r`, measured with `opts`.
std::string report_json(const options& opts, const worker_result& r, const run_samples& s);

} // namespace rtd::bench
