#include "finance/market_volatility.hpp"

#include <cmath>

namespace rtd::finance {

double market_volatility(double rate, double rate_volatility) noexcept {
  if (!(rate_volatility > 0)) // 0, or not a number: no measured risk
    return 0;
  double level = std::abs(rate);
  // Written as a comparison rather than a division, so that a level of 0 needs no case.
  if (!(rate_volatility < max_market_volatility * level))
    return max_market_volatility;
  return rate_volatility / level;
}

} // namespace rtd::finance
