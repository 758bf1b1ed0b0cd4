// The numbers at the top of a calculation's `result` that an alert can watch
// (`calculation:<calculation_id>.<field>`), and reading one of them back from a result.
#pragma once

#include "protocol/messages.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace rtd::protocol {

/// The result fields of `type` that are numbers (possibly null, as payback's); empty for a
/// type whose result has none at its top (forecast).
const std::vector<std::string_view>& numeric_result_fields(calculation_type type);

/// The number `field` of the JSON object `result`; nothing when it is absent, null or not a
/// number (or `result` is not an object).
std::optional<double> result_number(std::string_view result, std::string_view field);

} // namespace rtd::protocol
