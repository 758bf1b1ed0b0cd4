// The numbers of a result an alert can watch, and reading them back from the result's JSON.
#include "protocol/calculation_results.hpp"
#include "protocol/result_fields.hpp"

#include <doctest/doctest.h>

using namespace rtd::protocol;

TEST_CASE("a result's number is read back; absent, null and non-numbers are none") {
  const std::string r = R"({"npv":-12.5,"present_values":[1,2],"payback_period":null,"n":3})";
  CHECK(result_number(r, "npv") == std::optional<double>{-12.5});
  CHECK(result_number(r, "n") == std::optional<double>{3});
  CHECK_FALSE(result_number(r, "present_values"));
  CHECK_FALSE(result_number(r, "payback_period"));
  CHECK_FALSE(result_number(r, "irr"));
  CHECK_FALSE(result_number("[1]", "npv"));
  CHECK_FALSE(result_number("{", "npv"));
}

TEST_CASE("every numeric field of an npv result is a number in it") {
  auto json = encode_result(rtd::finance::npv_result{-5.0, {90.9, 165.3}, 0.1});
  for (auto field : numeric_result_fields(calculation_type::npv))
    CHECK(result_number(json, field).has_value());
  CHECK(numeric_result_fields(calculation_type::forecast).empty());
  CHECK(numeric_result_fields(calculation_type::forecast_npv).size() == 3);
}
