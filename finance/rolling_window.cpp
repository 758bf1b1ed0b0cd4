#include "finance/rolling_window.hpp"

#include <algorithm>
#include <cmath>

namespace rtd::finance {

rolling_window::rolling_window(std::size_t capacity) : ring_(capacity) {}

void rolling_window::push(double x) {
  equal_run_ = (count_ > 0 && x == last_) ? std::min(equal_run_ + 1, ring_.size()) : 1;
  last_ = x;
  if (count_ == 0)
    shift_ = x;
  double u = x - shift_;
  if (count_ < ring_.size()) {
    // Welford's add: M2 += (u - mean_old) (u - mean_new).
    double mean_old = count_ > 0 ? sum_.value() / static_cast<double>(count_) : 0.0;
    ++count_;
    sum_.add(u);
    double mean_new = sum_.value() / static_cast<double>(count_);
    m2_.add((u - mean_old) * (u - mean_new));
  } else {
    // Replacing v by u at constant n: M2 += (u - v) ((u - mean_new) + (v - mean_old)).
    double v = ring_[next_] - shift_;
    double n = static_cast<double>(count_);
    double mean_old = sum_.value() / n;
    sum_.add(u);
    sum_.add(-v);
    double mean_new = sum_.value() / n;
    m2_.add((u - v) * ((u - mean_new) + (v - mean_old)));
  }
  ring_[next_] = x;
  next_ = next_ + 1 == ring_.size() ? 0 : next_ + 1;
  if (equal_run_ >= count_) {
    // A constant window: restart the sums exactly around its value. Every value held then
    // shifts to exactly 0, so what a later removal subtracts still matches the sum.
    shift_ = x;
    sum_.reset();
    m2_.reset();
  }
}

double rolling_window::mean() const noexcept {
  if (count_ == 0)
    return 0;
  return shift_ + sum_.value() / static_cast<double>(count_);
}

double rolling_window::sample_std() const noexcept {
  if (count_ < 2)
    return 0;
  return std::sqrt(std::max(0.0, m2_.value()) / static_cast<double>(count_ - 1));
}

} // namespace rtd::finance
