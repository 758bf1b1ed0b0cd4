#include "actors/calculation_task.hpp"

#include "finance/forecast.hpp"
#include "finance/irr.hpp"
#include "finance/npv.hpp"
#include "finance/payback.hpp"
#include "finance/roi.hpp"
#include "finance/sensitivity.hpp"
#include "protocol/calculation_results.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace rtd {

namespace {

using protocol::calculation_type;

/// Passes over the cash flows each kernel makes, in work units per flow. irr scans a grid
/// of about 2,700 rates outwards from 0 and bisects the bracket it finds (finance/irr.hpp):
/// its worst case.
std::uint64_t work_per_flow(calculation_type type) {
  switch (type) {
  case calculation_type::npv:
    return 2; // npv and present values
  case calculation_type::irr:
    return 3000;
  case calculation_type::roi:
    return 1;
  case calculation_type::payback:
    return 3;
  case calculation_type::sensitivity:
    return 8; // base and six variations, present values
  case calculation_type::monte_carlo:
  case calculation_type::forecast:
  case calculation_type::forecast_npv:
    return 0; // per iteration, point or path instead, see cost_of
  }
  return 1;
}

/// What any job holds besides its samples: actor, state and task (a few KiB), and per cash
/// flow its copy of the request, the kernel's vectors and the result's text of its numbers.
constexpr std::uint64_t job_bytes = 4096;
constexpr std::uint64_t bytes_per_flow = 64;
/// A forecast's window is held three times: by the job, its task and the kernel's fit.
constexpr std::uint64_t bytes_per_window_point = 3 * sizeof(double);
/// A forecast point: its struct, the variance behind it and six numbers of text.
constexpr std::uint64_t bytes_per_forecast_point = 256;
/// A simulated step of forecast_npv (a normal, the model's recursion and a division) costs
/// about two Monte Carlo units; a pass of a fit over one point about one.
constexpr std::uint64_t units_per_path_step = 2;

template <class T>
void take(const finance::expected<T>& outcome, std::optional<std::string>& result,
          std::optional<calculation_failure>& failure) {
  if (outcome)
    result = protocol::encode_result(*outcome);
  else
    failure =
        calculation_failure{protocol::error_code::invalid_parameters,
                            "parameters." + outcome.error().field + ": " + outcome.error().message};
}

/// Without a seed, each run is a fresh draw.
std::uint64_t random_seed() {
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) | device();
}

calculation_failure broken(const char* what) {
  return {protocol::error_code::internal, std::string{"calculation failed: "} + what};
}

/// The number a number-or-"market" parameter stands for.
double value_of(const protocol::rate_input& in, double market) {
  return in.market ? market : in.value;
}

finance::model_spec model_of(const protocol::calculation_parameters& p) {
  auto method = p.method.value_or(protocol::forecast_method::holt);
  return {method == protocol::forecast_method::ar1 ? finance::forecast_method::ar1
                                                   : finance::forecast_method::holt,
          p.alpha, p.beta};
}

} // namespace

calculation_cost cost_of(const protocol::calculate_request& request, std::size_t window,
                         finance::monte_carlo_mode mode) {
  const auto& p = request.parameters;
  auto flows = static_cast<std::uint64_t>(p.cash_flows.size());
  calculation_cost cost{flows * work_per_flow(request.type), job_bytes + flows * bytes_per_flow};
  switch (request.type) {
  case calculation_type::monte_carlo: {
    auto iterations = p.iterations.value_or(protocol::default_iterations);
    // Streaming generates the npvs again for each pass of the summary (finance/README.md).
    auto generations = mode == finance::monte_carlo_mode::stored ? 1 : 3;
    cost.work = iterations * flows * generations;
    cost.bytes += finance::monte_carlo_run::bytes_needed(iterations, mode);
    break;
  }
  case calculation_type::forecast:
    cost.work = finance::forecast_model::fit_work(window, model_of(p)) + *p.horizon;
    cost.bytes += window * bytes_per_window_point + *p.horizon * bytes_per_forecast_point;
    break;
  case calculation_type::forecast_npv: {
    auto paths = p.paths.value_or(protocol::default_paths);
    cost.work = finance::forecast_model::fit_work(window, model_of(p)) +
                paths * flows * units_per_path_step;
    cost.bytes +=
        window * bytes_per_window_point + flows * bytes_per_forecast_point + paths * sizeof(double);
    break;
  }
  default:
    break;
  }
  return cost;
}

calculation_task::calculation_task(protocol::calculate_request request,
                                   protocol::market_inputs market, std::uint64_t sample_memory)
    : request_(std::move(request)), market_(std::move(market)) {
  const auto& p = request_.parameters;
  rate_ = p.discount_rate ? value_of(*p.discount_rate, market_.rate) : 0.0;
  if (request_.type != calculation_type::monte_carlo)
    return;
  try {
    auto run = finance::monte_carlo_run::create(
        {p.cash_flows, *p.initial_investment, rate_, value_of(*p.volatility, market_.volatility),
         p.iterations.value_or(protocol::default_iterations), p.seed ? *p.seed : random_seed()},
        sample_memory);
    if (run)
      monte_carlo_.emplace(std::move(*run));
    else
      failure_ =
          calculation_failure{protocol::error_code::invalid_parameters,
                              "parameters." + run.error().field + ": " + run.error().message};
  } catch (const std::exception& e) {
    failure_ = broken(e.what());
  }
}

void calculation_task::step(std::uint64_t budget) noexcept {
  if (done())
    return; // e.g. Monte Carlo parameters refused at construction
  try {
    run_kernel(budget);
  } catch (const std::exception& e) {
    failure_ = broken(e.what());
  } catch (...) {
    failure_ = broken("unknown error");
  }
}

void calculation_task::run_kernel(std::uint64_t budget) {
  const auto& p = request_.parameters;
  switch (request_.type) {
  case calculation_type::npv:
    take(finance::npv(p.cash_flows, rate_, *p.initial_investment), result_json_, failure_);
    break;
  case calculation_type::irr:
    take(finance::irr(p.cash_flows, *p.initial_investment), result_json_, failure_);
    break;
  case calculation_type::roi:
    take(finance::roi(p.cash_flows, *p.initial_investment), result_json_, failure_);
    break;
  case calculation_type::payback: {
    std::optional<double> rate;
    if (p.discount_rate)
      rate = rate_;
    take(finance::payback(p.cash_flows, *p.initial_investment, rate), result_json_, failure_);
    break;
  }
  case calculation_type::sensitivity:
    take(finance::sensitivity(p.cash_flows, rate_, *p.initial_investment,
                              p.variation.value_or(protocol::default_variation)),
         result_json_, failure_);
    break;
  case calculation_type::monte_carlo:
    monte_carlo_->run(budget);
    if (monte_carlo_->done())
      result_json_ = protocol::encode_result(monte_carlo_->finish());
    break;
  case calculation_type::forecast:
    take(finance::forecast({market_.history, static_cast<std::size_t>(*p.horizon), model_of(p)}),
         result_json_, failure_);
    break;
  case calculation_type::forecast_npv:
    run_forecast_npv(budget);
    break;
  }
}

/// The first step fits, and spends what the fit leaves of its budget on the simulation.
void calculation_task::run_forecast_npv(std::uint64_t budget) {
  const auto& p = request_.parameters;
  if (!forecast_npv_) {
    fit_work_ = finance::forecast_model::fit_work(market_.history.size(), model_of(p));
    auto run = finance::forecast_npv_run::create(
        {p.cash_flows, *p.initial_investment, std::move(market_.history), model_of(p),
         p.paths.value_or(protocol::default_paths),
         p.seed.value_or(protocol::default_forecast_seed)});
    if (!run)
      return take(finance::expected<finance::forecast_npv_result>{run.error()}, result_json_,
                  failure_);
    forecast_npv_.emplace(std::move(*run));
    if (budget <= fit_work_)
      return;
    budget -= fit_work_;
  }
  forecast_npv_->run(std::max<std::uint64_t>(1, budget / units_per_path_step));
  if (forecast_npv_->done())
    take(forecast_npv_->finish(), result_json_, failure_);
}

int calculation_task::progress() const {
  if (done())
    return 100;
  if (monte_carlo_)
    return static_cast<int>(std::floor(monte_carlo_->progress() * 100.0));
  if (forecast_npv_) {
    // The fit's share of the work is done, and the simulation's share as far as it went.
    auto fit = static_cast<double>(fit_work_);
    auto simulation = static_cast<double>(forecast_npv_->total_work());
    return static_cast<int>(
        std::floor(100.0 * (fit + forecast_npv_->progress() * simulation) / (fit + simulation)));
  }
  return 0;
}

} // namespace rtd
