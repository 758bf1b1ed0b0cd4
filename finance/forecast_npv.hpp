#pragma once
// `forecast_npv` (protocol.md, Calculations): the npv of the cash flows when the discount
// rate follows the forecast of `discount_rate` (forecast_model.hpp) rather than staying put:
//   npv = -initial_investment + sum_{t=1..n} cash_flows[t-1] prod_{k=1..t} 1 / (1 + r_k),
// horizon n = the number of cash flows, r_k the rate forecast k steps (years) ahead.
// - `npv` and `rates`: on the point forecast r_k.
// - `npv_lower_95`, `npv_upper_95`: the 2.5th and 97.5th percentiles (numpy's linear rule) of
//   the npvs of `paths` simulated rate paths. Each path follows the fitted model's own error
//   recursion from the end of the window (forecast_model::simulate) with fresh N(0, sigma^2)
//   errors; the fitted parameters are taken as known (no parameter uncertainty, as in
//   statsmodels' simulate). Path j uses normals n*j .. n*j + n - 1 of one normal_generator
//   seeded with `seed`, in step order: the same inputs and seed give the same bits.
// The interval is of the npv distribution, so it need not be centred on `npv` (the npv is
// convex in the rates).
//
// Work: the fit (forecast_model::fit_work) at creation, then one unit per simulated rate
// (a normal draw, a step of the recursion and a discount: paths x n units), run in chunks by
// forecast_npv_run so that a caller can report progress and stop in between.

#include "finance/expected.hpp"
#include "finance/forecast_model.hpp"
#include "finance/normal_rng.hpp"
#include "finance/results.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace rtd::finance {

/// Inputs of forecast_npv.
struct forecast_npv_params {
  std::vector<double> cash_flows; ///< 1..max_forecast_horizon entries (the forecast horizon)
  double initial_investment = 0;
  std::vector<double> rate_history; ///< discount_rate's last `window` values, oldest first
  model_spec model;
  std::uint64_t paths = 2000; ///< simulated paths, 1..max_forecast_npv_paths
  std::uint64_t seed = 0;
};

/// Largest `paths`: bounds memory (8 bytes a path) and time (~horizon normals a path).
constexpr std::uint64_t max_forecast_npv_paths = 1'000'000;

/// A forecast_npv advanced in chunks of simulated paths. The result does not depend on how
/// run() was chunked.
class forecast_npv_run {
public:
  /// Checks and fits: refuses what npv and forecast_model::fit refuse, more cash flows than
  /// the longest forecast horizon, `paths` out of range, and (field `discount_rate`) a point
  /// rate at or below -1, where discounting is undefined.
  static expected<forecast_npv_run> create(forecast_npv_params params);

  /// Work units of the simulation: paths x cash flows.
  std::uint64_t total_work() const noexcept;

  /// Simulates whole paths until about `budget` units are spent (at least one path).
  void run(std::uint64_t budget);

  /// Every path simulated, or one refused.
  bool done() const noexcept;

  /// Share of the paths simulated, 0..1.
  double progress() const noexcept;

  /// The result once done; refused (field `discount_rate`) when a simulated rate reached -1.
  expected<forecast_npv_result> finish() const;

private:
  forecast_npv_run(forecast_npv_params params, forecast_model model);

  forecast_npv_params params_;
  forecast_model model_;
  normal_generator normals_;
  forecast_npv_result point_; ///< npv and rates on the point forecast
  std::vector<double> path_;
  std::vector<double> npvs_; ///< of the paths simulated so far
  std::optional<error> failure_;
};

/// The whole calculation at once: create(), run() to the end, finish().
expected<forecast_npv_result> forecast_npv(const forecast_npv_params& params);

} // namespace rtd::finance
