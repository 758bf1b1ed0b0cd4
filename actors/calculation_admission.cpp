#include "actors/calculation_admission.hpp"

#include "protocol/calculation_rules.hpp"

namespace rtd {

namespace {

std::string mib(std::uint64_t bytes) {
  return std::to_string(bytes >> 20) + " MiB";
}

} // namespace

admission_decision admit(const protocol::calculate_request& request, std::size_t window,
                         std::size_t running, const admission_limits& limits,
                         const std::shared_ptr<memory_budget>& memory) {
  if (running >= limits.max_calculations)
    return {std::nullopt, "the server runs " + std::to_string(running) +
                              " calculations, its limit; try again later"};
  using finance::monte_carlo_mode;
  auto mode = monte_carlo_mode::stored;
  auto cost = cost_of(request, window, mode);
  auto reservation = memory_budget::reserve(memory, cost.bytes);
  if (!reservation && request.type == protocol::calculation_type::monte_carlo) {
    mode = monte_carlo_mode::streaming;
    cost = cost_of(request, window, mode);
    reservation = memory_budget::reserve(memory, cost.bytes);
  }
  if (!reservation)
    return {std::nullopt, "calculations hold " + mib(memory->used()) + " of the server's " +
                              mib(memory->limit()) + "; try again later"};
  admission a;
  a.memory = std::make_shared<const memory_budget::reservation>(std::move(*reservation));
  if (request.type == protocol::calculation_type::monte_carlo && mode == monte_carlo_mode::stored)
    a.sample_memory = finance::monte_carlo_run::bytes_needed(
        request.parameters.iterations.value_or(protocol::default_iterations), mode);
  a.heavy = cost.work > limits.inline_work;
  return {std::move(a), {}};
}

} // namespace rtd
