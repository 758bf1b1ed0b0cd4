#pragma once
// Plain result structs of the finance kernels, one per `calculation_type` in protocol.md
// (section Calculations). Field names match the protocol's `result` keys so the JSON encoder
// is a one-to-one mapping. No behaviour here: the kernels fill them, the protocol layer
// serialises them.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace rtd::finance {

/// `npv`: net present value and the discounted cash flows (t = 1..n).
struct npv_result {
  double npv = 0;
  std::vector<double> present_values; ///< cash_flows[t-1] / (1 + r)^t
  double discount_rate = 0;           ///< the rate actually used
};

/// `irr`: the rate where npv = 0 closest to 0 (see irr.hpp).
struct irr_result {
  double irr = 0;
};

/// `roi`: ratios are fractions, not percents.
struct roi_result {
  double roi = 0;            ///< net_gain / initial_investment
  double annualized_roi = 0; ///< (1 + roi)^(1/n) - 1
  double net_gain = 0;       ///< sum(cash_flows) - initial_investment
};

/// `payback`: fractional periods; nullopt when never reached (or no discount rate given).
struct payback_result {
  std::optional<double> payback_period;
  std::optional<double> discounted_payback_period;
};

/// `monte_carlo`: summary statistics of the simulated npv distribution.
struct monte_carlo_result {
  double mean_npv = 0;
  double std_npv = 0; ///< sample standard deviation (n - 1), 0 for a single iteration
  double p5 = 0;      ///< percentiles by linear interpolation (numpy's default)
  double p50 = 0;
  double p95 = 0;
  double probability_of_loss = 0;              ///< share of iterations with npv < 0
  double var_95 = 0;                           ///< mean_npv - p5
  std::vector<double> histogram_edges;         ///< 21 ascending edges
  std::vector<std::uint64_t> histogram_counts; ///< 20 counts summing to `iterations`
  std::uint64_t iterations = 0;
};

/// One bar of the tornado chart.
struct sensitivity_input {
  std::string input;     ///< "discount_rate", "cash_flows" or "initial_investment"
  double low_value = 0;  ///< value * (1 - variation); a scale factor for cash_flows
  double high_value = 0; ///< value * (1 + variation)
  double npv_low = 0;    ///< npv with this input at low_value, the others at base
  double npv_high = 0;
  double swing = 0; ///< |npv_high - npv_low|
};

/// `sensitivity`: inputs in tornado order (largest swing first).
struct sensitivity_result {
  double base_npv = 0;
  std::vector<sensitivity_input> inputs;
};

/// One step of a forecast with its 80% and 95% prediction intervals.
struct forecast_point {
  std::size_t step = 0; ///< 1..horizon steps after the last point of the window
  double value = 0;     ///< point forecast
  double lower_80 = 0;
  double upper_80 = 0;
  double lower_95 = 0;
  double upper_95 = 0;
};

/// Fitted parameters of `holt` (ETS(A,A,N), see holt.hpp).
struct holt_parameters {
  double alpha = 0;
  double beta = 0;
  double l0 = 0;    ///< level before the first point of the window
  double b0 = 0;    ///< trend before the first point
  double sigma = 0; ///< sqrt(SSE / n)
};

/// Fitted parameters of `ar1` (see ar1.hpp).
struct ar1_parameters {
  double c = 0;
  double phi = 0;
  double sigma = 0; ///< sqrt(SSR / (n - 1))
};

/// `forecast`: `parameters` holds the alternative matching `method`.
struct forecast_result {
  std::string method; ///< "holt" or "ar1"
  std::variant<holt_parameters, ar1_parameters> parameters;
  std::vector<forecast_point> points; ///< steps 1..horizon
};

/// `forecast_npv`: npv along the forecast path of the discount rate (see forecast_npv.hpp).
struct forecast_npv_result {
  double npv = 0;            ///< on the point forecast of the rates
  double npv_lower_95 = 0;   ///< 2.5th percentile of the simulated npvs
  double npv_upper_95 = 0;   ///< 97.5th percentile
  std::vector<double> rates; ///< the point forecast used, one rate per cash flow
};

} // namespace rtd::finance
