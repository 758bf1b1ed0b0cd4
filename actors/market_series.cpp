#include "actors/market_series.hpp"

#include <algorithm>

namespace rtd {

market_series::market_series(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)) {}

void market_series::append(const market_step& step) {
  if (steps_.size() == capacity_)
    steps_.pop_front();
  steps_.push_back(step);
}

void market_series::prepend(const std::vector<market_step>& older) {
  for (auto it = older.rbegin(); it != older.rend() && steps_.size() < capacity_; ++it)
    if (steps_.empty() || it->seq < steps_.front().seq)
      steps_.push_front(*it);
}

std::vector<double> market_series::last(protocol::market_indicator indicator, std::size_t n) const {
  n = std::min(n, steps_.size());
  std::vector<double> out;
  out.reserve(n);
  for (auto it = steps_.end() - static_cast<std::ptrdiff_t>(n); it != steps_.end(); ++it)
    out.push_back(it->values[indicator]);
  return out;
}

} // namespace rtd
