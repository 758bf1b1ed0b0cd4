// One calculation's work, in steps: a finance kernel run on validated, resolved parameters.
// Monte Carlo advances in chunks so that its job can report progress and honour a cancel in
// between; every other kernel finishes in its first step.
#pragma once

#include "finance/monte_carlo.hpp"
#include "protocol/messages.hpp"

#include <optional>
#include <string>

namespace rtd {

class calculation_task {
public:
  /// `request` must have passed protocol::validate; `rate` replaces a "market" discount rate.
  calculation_task(protocol::calculate_request request, double rate);

  /// Does about `budget` units of work (Monte Carlo: cash flows x iterations, see
  /// finance::monte_carlo_run::run; ignored by the others).
  void step(std::uint64_t budget);

  bool done() const { return result_json_.has_value() || error_.has_value(); }

  /// Progress in percent, 0..100.
  int progress() const;

  /// The `result` object, once done without error.
  const std::optional<std::string>& result_json() const { return result_json_; }

  /// Why the kernel refused, once done with an error (field and message).
  const std::optional<std::string>& error() const { return error_; }

private:
  protocol::calculate_request request_;
  double rate_;
  std::optional<finance::monte_carlo_run> monte_carlo_;
  std::optional<std::string> result_json_;
  std::optional<std::string> error_;
};

} // namespace rtd
