// The `result` objects of forecast and forecast_npv: every field, with its protocol name.
#include "protocol/calculation_results.hpp"

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <string>

using namespace rtd;

namespace {

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseFullPrecisionFlag>(text.c_str(), text.size());
  REQUIRE_FALSE(d.HasParseError());
  REQUIRE(d.IsObject());
  return d;
}

std::size_t members(const rapidjson::Value& v) {
  return static_cast<std::size_t>(v.MemberEnd() - v.MemberBegin());
}

} // namespace

TEST_CASE("forecast: method, fitted holt parameters and every point's intervals") {
  finance::forecast_result r;
  r.method = "holt";
  r.parameters = finance::holt_parameters{0.5, 0.1, 10.25, 0.5, 0.125};
  r.points = {{1, 11, 10, 12, 9, 13}, {2, 11.5, 10.1, 12.9, 9.2, 13.8}};
  auto d = parse(protocol::encode_result(r));
  CHECK(members(d) == 3);
  CHECK(std::string{d["method"].GetString()} == "holt");
  const auto& p = d["parameters"];
  CHECK(members(p) == 5);
  CHECK(p["alpha"].GetDouble() == 0.5);
  CHECK(p["beta"].GetDouble() == 0.1);
  CHECK(p["l0"].GetDouble() == 10.25);
  CHECK(p["b0"].GetDouble() == 0.5);
  CHECK(p["sigma"].GetDouble() == 0.125);
  REQUIRE(d["points"].Size() == 2);
  const auto& second = d["points"][1];
  CHECK(members(second) == 6);
  CHECK(second["step"].GetUint64() == 2);
  CHECK(second["value"].GetDouble() == 11.5);
  CHECK(second["lower_80"].GetDouble() == 10.1);
  CHECK(second["upper_80"].GetDouble() == 12.9);
  CHECK(second["lower_95"].GetDouble() == 9.2);
  CHECK(second["upper_95"].GetDouble() == 13.8);
}

TEST_CASE("forecast: ar1's fitted parameters") {
  finance::forecast_result r;
  r.method = "ar1";
  r.parameters = finance::ar1_parameters{0.01, 0.9, 0.002};
  r.points = {{1, 0.1, 0.09, 0.11, 0.08, 0.12}};
  auto d = parse(protocol::encode_result(r));
  CHECK(std::string{d["method"].GetString()} == "ar1");
  const auto& p = d["parameters"];
  CHECK(members(p) == 3);
  CHECK(p["c"].GetDouble() == 0.01);
  CHECK(p["phi"].GetDouble() == 0.9);
  CHECK(p["sigma"].GetDouble() == 0.002);
}

TEST_CASE("forecast_npv: the npv, its interval and the rates") {
  finance::forecast_npv_result r{1250.5, -300.25, 2900.75, {0.08, 0.081, 0.0825}};
  auto d = parse(protocol::encode_result(r));
  CHECK(members(d) == 4);
  CHECK(d["npv"].GetDouble() == 1250.5);
  CHECK(d["npv_lower_95"].GetDouble() == -300.25);
  CHECK(d["npv_upper_95"].GetDouble() == 2900.75);
  REQUIRE(d["rates"].Size() == 3);
  CHECK(d["rates"][2].GetDouble() == 0.0825);
}
