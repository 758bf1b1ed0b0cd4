// One calculation's work, in steps: a finance kernel run on validated parameters and the
// market inputs resolved for them. Monte Carlo advances in chunks of work units, and
// forecast_npv fits its model in its first step and simulates its paths in chunks after, so
// that their jobs can report progress and honour a cancel in between; every other kernel
// finishes in its first step. What a calculation will cost is known before it starts
// (cost_of), so that the service can admit it, reserve its memory and choose where it runs.
#pragma once

#include "finance/forecast_npv.hpp"
#include "finance/monte_carlo.hpp"
#include "protocol/calculation_rules.hpp"

#include <optional>
#include <string>

namespace rtd {

/// What a calculation takes, estimated from its parameters alone.
struct calculation_cost {
  /// Work units (finance::monte_carlo_run's: one cash flow of one iteration, about 3 ns),
  /// counting every kernel's passes over the cash flows the same way, and a forecast's passes
  /// over its window and simulated steps.
  std::uint64_t work = 0;
  /// Bytes it holds while it runs: the request, the kernel's vectors, the result text, a
  /// forecast's window and points, forecast_npv's paths and, for Monte Carlo, the samples of
  /// `mode` (finance::monte_carlo_run::bytes_needed).
  std::uint64_t bytes = 0;
};

/// The cost of `request` (validated) on `window` recorded points (forecasts), with Monte
/// Carlo's samples kept as `mode` says.
calculation_cost cost_of(const protocol::calculate_request& request, std::size_t window,
                         finance::monte_carlo_mode mode);

/// Why a calculation ended without a result.
struct calculation_failure {
  protocol::error_code code = protocol::error_code::internal;
  std::string message;
};

class calculation_task {
public:
  /// `request` must have passed protocol::validate; `market` has what "market" stands for and
  /// a forecast's window; Monte Carlo keeps every sample when `sample_memory` bytes allow it,
  /// else streams.
  calculation_task(protocol::calculate_request request, protocol::market_inputs market,
                   std::uint64_t sample_memory);

  /// Does about `budget` units of work (see cost_of). Never throws: whatever goes wrong
  /// ends the task with failure().
  void step(std::uint64_t budget) noexcept;

  bool done() const { return result_json_.has_value() || failure_.has_value(); }

  /// Progress in percent, 0..100.
  int progress() const;

  /// The `result` object, once done without failure.
  const std::optional<std::string>& result_json() const { return result_json_; }

  /// Why it failed, once done without a result: the kernel refused the parameters
  /// (invalid_parameters, naming the field) or something broke (internal).
  const std::optional<calculation_failure>& failure() const { return failure_; }

private:
  void run_kernel(std::uint64_t budget);
  void run_forecast_npv(std::uint64_t budget);

  protocol::calculate_request request_;
  protocol::market_inputs market_;
  double rate_; ///< the discount rate used: the parameter's, or the market's for "market"
  std::optional<finance::monte_carlo_run> monte_carlo_;
  std::optional<finance::forecast_npv_run> forecast_npv_; ///< fitted in the first step
  std::uint64_t fit_work_ = 0;                            ///< of forecast_npv's fit
  std::optional<std::string> result_json_;
  std::optional<calculation_failure> failure_;
};

} // namespace rtd
