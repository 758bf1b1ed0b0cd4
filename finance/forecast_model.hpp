#pragma once
// The model behind `forecast` and `forecast_npv` (protocol.md, Calculations): a Holt or AR(1)
// fit of an indicator's recent history, with what both calculations need from it: point
// forecasts, their error variances, simulated future paths, and the fitted parameters.

#include "finance/ar1.hpp"
#include "finance/expected.hpp"
#include "finance/holt.hpp"
#include "finance/normal_rng.hpp"
#include "finance/results.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

namespace rtd::finance {

/// The protocol's `method`.
enum class forecast_method { holt, ar1 };

/// "holt" or "ar1".
const char* to_string(forecast_method m) noexcept;

/// The method named `name`, or nullopt for an unknown name.
std::optional<forecast_method> parse_forecast_method(std::string_view name);

/// Which model to fit, with any parameters the caller fixes.
struct model_spec {
  forecast_method method = forecast_method::holt;
  /// Holt only, both or neither: 0 < alpha <= 1 and 0 <= beta <= alpha (the classical region).
  /// Given, they are used as they are and only l0, b0 are fitted; absent, all four are.
  std::optional<double> alpha;
  std::optional<double> beta;
};

/// A model fitted to a window of history.
class forecast_model {
public:
  /// Fewest points Holt is fitted on (statsmodels' heuristic initialisation needs 10).
  static constexpr std::size_t min_points_holt = 10;
  /// Fewest points for AR(1): 3 residuals for 2 coefficients, so sigma is not trivially 0.
  static constexpr std::size_t min_points_ar1 = 4;
  /// Most points fitted: bounds the cost (a Holt fit is ~430 passes over the window).
  static constexpr std::size_t max_points = 100'000;
  /// Largest |value| in the history: squared errors summed over the window stay finite.
  static constexpr double max_value = 1e100;

  /// Checks `history` (field `window`: length, finite values) and `spec` (fields `alpha`,
  /// `beta`), then fits.
  static expected<forecast_model> fit(const std::vector<double>& history, const model_spec& spec);

  /// The work of fit() on `points` values, in passes over the window times its length (one
  /// unit is a value of one pass, a few ns, like a Monte Carlo unit): Holt fitted up to
  /// holt_max_evaluations passes, with alpha and beta given 2, AR(1) 3.
  static std::uint64_t fit_work(std::size_t points, const model_spec& spec) noexcept;

  forecast_method method() const noexcept;

  /// The fitted parameters as the protocol reports them.
  std::variant<holt_parameters, ar1_parameters> parameters() const;

  /// Point forecasts (`mean`) and forecast error variances for steps 1..horizon.
  void forecast(std::size_t horizon, std::vector<double>& mean,
                std::vector<double>& variance) const;

  /// One simulated future: out[k] is the value k + 1 steps ahead, the model's own recursion
  /// driven by errors sigma * Z with Z drawn from `normals` in step order.
  void simulate(normal_generator& normals, double* out, std::size_t horizon) const;

private:
  explicit forecast_model(std::variant<holt_fit, ar1_fit> fit) : fit_(std::move(fit)) {}
  double sigma2() const; ///< variance of the one-step errors
  std::variant<holt_fit, ar1_fit> fit_;
};

} // namespace rtd::finance
