#include "actors/calculation_task.hpp"

#include "finance/irr.hpp"
#include "finance/npv.hpp"
#include "finance/payback.hpp"
#include "finance/roi.hpp"
#include "finance/sensitivity.hpp"
#include "protocol/calculation_results.hpp"
#include "protocol/calculation_rules.hpp"

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
    return 0; // per iteration instead, see cost_of
  }
  return 1;
}

/// What any job holds besides its samples: actor, state and task (a few KiB), and per cash
/// flow its copy of the request, the kernel's vectors and the result's text of its numbers.
constexpr std::uint64_t job_bytes = 4096;
constexpr std::uint64_t bytes_per_flow = 64;

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

} // namespace

calculation_cost cost_of(const protocol::calculate_request& request,
                         finance::monte_carlo_mode mode) {
  const auto& p = request.parameters;
  auto flows = static_cast<std::uint64_t>(p.cash_flows.size());
  calculation_cost cost{flows * work_per_flow(request.type), job_bytes + flows * bytes_per_flow};
  if (request.type == calculation_type::monte_carlo) {
    auto iterations = p.iterations.value_or(protocol::default_iterations);
    // Streaming generates the npvs again for each pass of the summary (finance/README.md).
    auto generations = mode == finance::monte_carlo_mode::stored ? 1 : 3;
    cost.work = iterations * flows * generations;
    cost.bytes += finance::monte_carlo_run::bytes_needed(iterations, mode);
  }
  return cost;
}

calculation_task::calculation_task(protocol::calculate_request request, double rate,
                                   std::uint64_t sample_memory)
    : request_(std::move(request)), rate_(rate) {
  if (request_.type != calculation_type::monte_carlo)
    return;
  const auto& p = request_.parameters;
  try {
    auto run = finance::monte_carlo_run::create(
        {p.cash_flows, *p.initial_investment, rate_, *p.volatility,
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
  auto investment = *p.initial_investment;
  switch (request_.type) {
  case calculation_type::npv:
    take(finance::npv(p.cash_flows, rate_, investment), result_json_, failure_);
    break;
  case calculation_type::irr:
    take(finance::irr(p.cash_flows, investment), result_json_, failure_);
    break;
  case calculation_type::roi:
    take(finance::roi(p.cash_flows, investment), result_json_, failure_);
    break;
  case calculation_type::payback: {
    std::optional<double> rate;
    if (p.discount_rate)
      rate = rate_;
    take(finance::payback(p.cash_flows, investment, rate), result_json_, failure_);
    break;
  }
  case calculation_type::sensitivity:
    take(finance::sensitivity(p.cash_flows, rate_, investment,
                              p.variation.value_or(protocol::default_variation)),
         result_json_, failure_);
    break;
  case calculation_type::monte_carlo:
    monte_carlo_->run(budget);
    if (monte_carlo_->done())
      result_json_ = protocol::encode_result(monte_carlo_->finish());
    break;
  }
}

int calculation_task::progress() const {
  if (done())
    return 100;
  if (monte_carlo_)
    return static_cast<int>(std::floor(monte_carlo_->progress() * 100.0));
  return 0;
}

} // namespace rtd
