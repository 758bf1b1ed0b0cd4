// The `result` object of a completed calculation, per calculation type.
#pragma once

#include "finance/results.hpp"

#include <string>

namespace rtd::protocol {

std::string encode_result(const finance::npv_result& r);
std::string encode_result(const finance::irr_result& r);
std::string encode_result(const finance::roi_result& r);
std::string encode_result(const finance::payback_result& r);
std::string encode_result(const finance::monte_carlo_result& r);
std::string encode_result(const finance::sensitivity_result& r);
std::string encode_result(const finance::forecast_result& r);
std::string encode_result(const finance::forecast_npv_result& r);

} // namespace rtd::protocol
