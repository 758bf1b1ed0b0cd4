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

template <class T>
void take(const finance::expected<T>& outcome, std::optional<std::string>& result,
          std::optional<std::string>& error) {
  if (outcome)
    result = protocol::encode_result(*outcome);
  else
    error = "parameters." + outcome.error().field + ": " + outcome.error().message;
}

/// Sample memory one Monte Carlo run may hold: every npv up to 1,000,000 iterations (8 MB
/// and 1.5 MiB of buckets), bounded streaming beyond (1.5 MiB, 3x the generation work).
std::uint64_t monte_carlo_memory() {
  return finance::monte_carlo_run::bytes_needed(1'000'000, finance::monte_carlo_mode::stored);
}

/// Without a seed, each run is a fresh draw.
std::uint64_t random_seed() {
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) | device();
}

} // namespace

calculation_task::calculation_task(protocol::calculate_request request, double rate)
    : request_(std::move(request)), rate_(rate) {
  if (request_.type != protocol::calculation_type::monte_carlo)
    return;
  const auto& p = request_.parameters;
  auto run = finance::monte_carlo_run::create(
      {p.cash_flows, *p.initial_investment, rate_, *p.volatility,
       p.iterations.value_or(protocol::default_iterations), p.seed ? *p.seed : random_seed()},
      monte_carlo_memory());
  if (run)
    monte_carlo_.emplace(std::move(*run));
  else
    error_ = "parameters." + run.error().field + ": " + run.error().message;
}

void calculation_task::step(std::uint64_t budget) {
  if (done())
    return; // e.g. Monte Carlo parameters refused at construction
  const auto& p = request_.parameters;
  auto investment = *p.initial_investment;
  switch (request_.type) {
  case protocol::calculation_type::npv:
    take(finance::npv(p.cash_flows, rate_, investment), result_json_, error_);
    break;
  case protocol::calculation_type::irr:
    take(finance::irr(p.cash_flows, investment), result_json_, error_);
    break;
  case protocol::calculation_type::roi:
    take(finance::roi(p.cash_flows, investment), result_json_, error_);
    break;
  case protocol::calculation_type::payback: {
    std::optional<double> rate;
    if (p.discount_rate)
      rate = rate_;
    take(finance::payback(p.cash_flows, investment, rate), result_json_, error_);
    break;
  }
  case protocol::calculation_type::sensitivity:
    take(finance::sensitivity(p.cash_flows, rate_, investment,
                              p.variation.value_or(protocol::default_variation)),
         result_json_, error_);
    break;
  case protocol::calculation_type::monte_carlo:
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
