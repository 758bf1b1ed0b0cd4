#include "finance/irr.hpp"

#include "finance/checks.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

namespace rtd::finance {
namespace {

/// A number with the sign of npv(rate) (zero exactly where npv is), overflow-free for any
/// rate in (-1, inf) and any number of periods. flows[0] is the t = 0 flow.
///  - rate >= 0: Horner in x = 1/(1+r) <= 1 gives npv itself.
///  - rate < 0: 1/(1+r) > 1 would overflow over many periods, so we compute
///    npv * (1+r)^n = sum f_t (1+r)^(n-t) by Horner in y = 1+r < 1. The factor is positive, so
///    sign and roots are those of npv, and both forms agree at r = 0.
double npv_sign_function(const std::vector<double>& flows, double rate) {
  double acc = 0;
  if (rate >= 0) {
    double x = 1.0 / (1.0 + rate);
    for (auto it = flows.rbegin(); it != flows.rend(); ++it)
      acc = acc * x + *it;
  } else {
    double y = 1.0 + rate;
    for (double f : flows)
      acc = acc * y + f;
  }
  return acc;
}

/// Drops leading and trailing zero flows. Neither changes the roots (npv is divided by a
/// positive power of 1 + r), but left in place they make npv_sign_function a large power of x
/// or y times the rest, which underflows to an exact 0 at extreme rates: a false root.
void strip_zeros(std::vector<double>& flows) {
  while (!flows.empty() && flows.back() == 0)
    flows.pop_back();
  auto first = std::find_if(flows.begin(), flows.end(), [](double f) { return f != 0; });
  flows.erase(flows.begin(), first);
}

/// Grid of rates on one side of 0, in scanning order (closest to 0 first, 0 excluded).
std::vector<double> make_grid(bool positive) {
  std::vector<double> grid;
  if (positive) {
    for (int k = 1; k < 1000; ++k)
      grid.push_back(k * 0.001);
    for (double r = 1.0; r <= 1e12; r *= 1.05)
      grid.push_back(r);
  } else {
    for (int k = 1; k <= 990; ++k)
      grid.push_back(-k * 0.001);
    // Towards -1 geometrically in 1 + r, which is where the scale of the problem lives.
    for (double y = 0.01 * 0.8; y >= 1e-12; y *= 0.8)
      grid.push_back(y - 1.0);
  }
  return grid;
}

/// Bisects [a, b] (npv signs differ at the ends) until the interval cannot shrink further.
double bisect(const std::vector<double>& flows, double a, double b, double fa) {
  for (;;) {
    double m = a + (b - a) / 2;
    if (m == a || m == b)
      return m;
    double fm = npv_sign_function(flows, m);
    if (fm == 0)
      return m;
    if ((fm < 0) == (fa < 0)) {
      a = m;
      fa = fm;
    } else {
      b = m;
    }
  }
}

/// The first root met scanning away from 0 on one side, skipping rates further from 0 than
/// `limit` (the best root already found on the other side).
std::optional<double> first_root(const std::vector<double>& flows, bool positive, double limit) {
  static const std::vector<double> positive_grid = make_grid(true);
  static const std::vector<double> negative_grid = make_grid(false);
  const auto& grid = positive ? positive_grid : negative_grid;
  double prev = 0;
  double f_prev = npv_sign_function(flows, 0);
  for (double r : grid) {
    if (std::abs(prev) > limit)
      return std::nullopt;
    double f = npv_sign_function(flows, r);
    if (f == 0)
      return r;
    if ((f < 0) != (f_prev < 0))
      return bisect(flows, prev, r, f_prev);
    prev = r;
    f_prev = f;
  }
  return std::nullopt;
}

} // namespace

expected<irr_result> irr(const std::vector<double>& cash_flows, double initial_investment) {
  if (auto e = check_cash_flows(cash_flows))
    return *e;
  if (auto e = check_finite("initial_investment", initial_investment))
    return *e;
  std::vector<double> flows;
  flows.reserve(cash_flows.size() + 1);
  flows.push_back(-initial_investment);
  flows.insert(flows.end(), cash_flows.begin(), cash_flows.end());
  strip_zeros(flows);

  bool any_positive = false, any_negative = false;
  for (double f : flows) {
    any_positive = any_positive || f > 0;
    any_negative = any_negative || f < 0;
  }
  if (!any_positive || !any_negative)
    return error{"cash_flows", "IRR undefined: the cash flows, with -initial_investment at t = 0, "
                               "never change sign"};

  if (npv_sign_function(flows, 0) == 0)
    return irr_result{0.0};
  auto up = first_root(flows, true, INFINITY);
  auto down = first_root(flows, false, up ? *up : INFINITY);
  if (down && (!up || -*down < *up))
    return irr_result{*down};
  if (up)
    return irr_result{*up};
  return error{"cash_flows", "IRR not found: npv does not change sign for any rate in (-1, 1e12)"};
}

} // namespace rtd::finance
