#include "protocol/calculation_results.hpp"

#include "protocol/json_writer.hpp"

namespace rtd::protocol {

namespace {

using namespace detail;

template <class Fields> std::string encode_object(Fields&& fields) {
  auto& w = builder.start();
  w.StartObject();
  fields(w);
  w.EndObject();
  return builder.finish();
}

template <class T, class Write>
void write_array(json_writer& w, std::string_view k, const std::vector<T>& xs, Write&& write) {
  key(w, k);
  w.StartArray();
  for (const auto& x : xs)
    write(x);
  w.EndArray();
}

void write_doubles(json_writer& w, std::string_view k, const std::vector<double>& xs) {
  write_array(w, k, xs, [&](double x) { std::isfinite(x) ? w.Double(x) : w.Null(); });
}

void write_optional(json_writer& w, std::string_view k, const std::optional<double>& x) {
  if (x) {
    write_double(w, k, *x);
  } else {
    key(w, k);
    w.Null();
  }
}

} // namespace

std::string encode_result(const finance::npv_result& r) {
  return encode_object([&](json_writer& w) {
    write_double(w, "npv", r.npv);
    write_doubles(w, "present_values", r.present_values);
    write_double(w, "discount_rate", r.discount_rate);
  });
}

std::string encode_result(const finance::irr_result& r) {
  return encode_object([&](json_writer& w) { write_double(w, "irr", r.irr); });
}

std::string encode_result(const finance::roi_result& r) {
  return encode_object([&](json_writer& w) {
    write_double(w, "roi", r.roi);
    write_double(w, "annualized_roi", r.annualized_roi);
    write_double(w, "net_gain", r.net_gain);
  });
}

std::string encode_result(const finance::payback_result& r) {
  return encode_object([&](json_writer& w) {
    write_optional(w, "payback_period", r.payback_period);
    write_optional(w, "discounted_payback_period", r.discounted_payback_period);
  });
}

std::string encode_result(const finance::monte_carlo_result& r) {
  return encode_object([&](json_writer& w) {
    write_double(w, "mean_npv", r.mean_npv);
    write_double(w, "std_npv", r.std_npv);
    write_double(w, "p5", r.p5);
    write_double(w, "p50", r.p50);
    write_double(w, "p95", r.p95);
    write_double(w, "probability_of_loss", r.probability_of_loss);
    write_double(w, "var_95", r.var_95);
    key(w, "histogram");
    w.StartObject();
    write_doubles(w, "edges", r.histogram_edges);
    write_array(w, "counts", r.histogram_counts, [&](std::uint64_t n) { w.Uint64(n); });
    w.EndObject();
    write_uint(w, "iterations", r.iterations);
  });
}

std::string encode_result(const finance::sensitivity_result& r) {
  return encode_object([&](json_writer& w) {
    write_double(w, "base_npv", r.base_npv);
    write_array(w, "inputs", r.inputs, [&](const finance::sensitivity_input& in) {
      w.StartObject();
      write_string(w, "input", in.input);
      write_double(w, "low_value", in.low_value);
      write_double(w, "high_value", in.high_value);
      write_double(w, "npv_low", in.npv_low);
      write_double(w, "npv_high", in.npv_high);
      write_double(w, "swing", in.swing);
      w.EndObject();
    });
  });
}

std::string encode_result(const finance::forecast_result& r) {
  return encode_object([&](json_writer& w) {
    write_string(w, "method", r.method);
    key(w, "parameters");
    w.StartObject();
    if (const auto* holt = std::get_if<finance::holt_parameters>(&r.parameters)) {
      write_double(w, "alpha", holt->alpha);
      write_double(w, "beta", holt->beta);
      write_double(w, "l0", holt->l0);
      write_double(w, "b0", holt->b0);
      write_double(w, "sigma", holt->sigma);
    } else {
      const auto& ar1 = std::get<finance::ar1_parameters>(r.parameters);
      write_double(w, "c", ar1.c);
      write_double(w, "phi", ar1.phi);
      write_double(w, "sigma", ar1.sigma);
    }
    w.EndObject();
    write_array(w, "points", r.points, [&](const finance::forecast_point& p) {
      w.StartObject();
      write_uint(w, "step", p.step);
      write_double(w, "value", p.value);
      write_double(w, "lower_80", p.lower_80);
      write_double(w, "upper_80", p.upper_80);
      write_double(w, "lower_95", p.lower_95);
      write_double(w, "upper_95", p.upper_95);
      w.EndObject();
    });
  });
}

std::string encode_result(const finance::forecast_npv_result& r) {
  return encode_object([&](json_writer& w) {
    write_double(w, "npv", r.npv);
    write_double(w, "npv_lower_95", r.npv_lower_95);
    write_double(w, "npv_upper_95", r.npv_upper_95);
    write_doubles(w, "rates", r.rates);
  });
}

} // namespace rtd::protocol
