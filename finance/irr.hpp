#pragma once
// Internal rate of return: the rate r > -1 where npv(r) = 0, with the initial investment as
// the flow at t = 0.
//
// A cash-flow series with several sign changes can have several IRRs (up to the number of
// sign changes, by Descartes' rule). protocol.md asks for the one closest to 0, which is the
// economically plausible one in practice. How it is found:
//   1. the flows (-initial_investment, cash_flows...) must contain both a positive and a
//      negative value, otherwise there is no root and we return an error;
//   2. npv is sampled on a grid of rates scanned outwards from 0 in both directions (step
//      0.001 on (-0.99, 1), then geometrically towards -1 + 1e-12 and up to 1e12), stopping at
//      the first sign change on each side (the negative scan stops early once it is further
//      from 0 than the positive root);
//   3. each bracket is bisected to machine precision (robust where Newton diverges);
//   4. the root with the smaller |r| wins; an exact tie picks the positive one.
// Limits, documented rather than hidden: a root where npv only touches 0 without crossing
// (a double root), or two roots closer together than the grid step, are not sign changes on
// the grid and are not found; if nothing is found the result is an error.

#include "finance/expected.hpp"
#include "finance/results.hpp"

#include <vector>

namespace rtd::finance {

/// IRR closest to 0 (see above). Errors name `cash_flows` when no IRR exists or none was
/// found, or the offending field when an input is not finite / empty.
expected<irr_result> irr(const std::vector<double>& cash_flows, double initial_investment);

} // namespace rtd::finance
