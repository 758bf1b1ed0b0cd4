#pragma once
// `"volatility": "market"` in `monte_carlo` (protocol.md, Calculations): Monte Carlo's
// volatility is a relative shock to each cash flow, cash_flows[t] (1 + volatility Z_t); the
// analytics' volatility of `discount_rate` is an absolute figure, the sample std of the rate's
// one-step changes over the analytics window (indicator_stats.hpp). The mapping makes the
// absolute figure relative to the rate's level:
//   volatility = min(max_market_volatility, rate_volatility / |rate|),
// so that cash flows are shocked by the share of itself the discount rate moves in one step:
// a rate of 0.08 that moves by 0.002 a step (2.5%) shocks each flow by 2.5%. The figure is
// scale free, as Monte Carlo's volatility is, and moves with the market's risk. It is 0 when
// the rate does not move, and max_market_volatility when it moves around a level of 0 (or
// moves by more than its level), where a relative figure has no meaning.

namespace rtd::finance {

/// Ceiling of the mapped volatility: a one-sigma shock of the whole cash flow.
constexpr double max_market_volatility = 1.0;

/// Monte Carlo's volatility from the discount rate's level and the std of its one-step
/// changes (>= 0, as the analytics give it); in [0, max_market_volatility].
double market_volatility(double rate, double rate_volatility) noexcept;

} // namespace rtd::finance
