// Whether the node can take a calculation now, and how it will run: the node-wide cap on
// calculations at once, the memory budget (Monte Carlo keeps every sample when the budget has
// room for them, else streams them in bounded memory, else the request waits for nothing and
// is refused), and where it runs (small ones at once on the actors' scheduler, heavy ones on
// the calculation executor).
#pragma once

#include "actors/calculation_task.hpp"
#include "actors/memory_budget.hpp"

#include <memory>
#include <optional>
#include <string>

namespace rtd {

/// The node's caps, as the calculation service applies them.
struct admission_limits {
  std::size_t max_calculations = 256;  ///< calculations at once on the node
  std::uint64_t inline_work = 100'000; ///< up to this many work units run at once
};

/// How an admitted calculation runs.
struct admission {
  std::shared_ptr<const memory_budget::reservation> memory;
  std::uint64_t sample_memory = 0; ///< Monte Carlo: bytes for stored samples; 0 streams
  bool heavy = false;              ///< runs in chunks on the executor
};

/// An admission, or the reason (for a too_many_calculations error) the node cannot take
/// `request` (validated, on `window` recorded points when a forecast) while `running`
/// calculations run.
struct admission_decision {
  std::optional<admission> admitted;
  std::string refusal;
};

admission_decision admit(const protocol::calculate_request& request, std::size_t window,
                         std::size_t running, const admission_limits& limits,
                         const std::shared_ptr<memory_budget>& memory);

} // namespace rtd
