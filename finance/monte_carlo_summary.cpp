#include "finance/monte_carlo_summary.hpp"

#include <cmath>

namespace rtd::finance {
namespace {

constexpr std::size_t histogram_bins = 20;

} // namespace

monte_carlo_summary::monte_carlo_summary(std::uint64_t n)
    : n_(n), p5_(position_of(0.05, n)), p50_(position_of(0.50, n)), p95_(position_of(0.95, n)) {}

void monte_carlo_summary::add(const double* values, std::size_t count) {
  if (count == 0)
    return;
  if (pass_ == 0) {
    if (!started_)
      pivot_ = lo_ = hi_ = values[0];
    started_ = true;
    for (std::size_t i = 0; i < count; ++i) {
      double v = values[i];
      // The deviations keep the terms small (npvs cluster far from 0) and make the mean of
      // identical values exactly that value (volatility 0), as statistics.cpp's mean().
      deviations_.add(v - pivot_);
      // std::minmax_element's choice among equals (first minimum, last maximum), so that
      // even the sign of a zero extreme is the array functions'.
      if (v < lo_)
        lo_ = v;
      if (!(v < hi_))
        hi_ = v;
      losses_ += v < 0.0;
    }
    return;
  }
  if (pass_ == 1) {
    for (std::size_t i = 0; i < count; ++i)
      squares_.add((values[i] - mean_) * (values[i] - mean_));
    histogram_->add(values, count);
  }
  if (!selector_->done())
    selector_->add(values, count);
}

void monte_carlo_summary::end_pass() {
  if (pass_ == 0) {
    mean_ = pivot_ + deviations_.total() / static_cast<double>(n_);
    histogram_.emplace(lo_, hi_, histogram_bins);
    selector_.emplace(n_, lo_, hi_,
                      std::vector<std::uint64_t>{p5_.below, p5_.above, p50_.below, p50_.above,
                                                 p95_.below, p95_.above});
  } else if (!selector_->done()) {
    selector_->end_pass();
  }
  ++pass_;
}

std::uint64_t monte_carlo_summary::passes_planned() const noexcept {
  if (pass_ == 0)
    return n_ > rank_selector::max_candidates ? 3 : 2;
  if (pass_ == 1)
    return selector_->done() || n_ <= rank_selector::max_candidates ? 2 : 3;
  return selector_->done() ? pass_ : pass_ + 1;
}

monte_carlo_result monte_carlo_summary::result() const {
  monte_carlo_result r;
  r.iterations = n_;
  r.mean_npv = mean_;
  r.std_npv = n_ < 2 ? 0 : std::sqrt(squares_.total() / static_cast<double>(n_ - 1));
  r.probability_of_loss = static_cast<double>(losses_) / static_cast<double>(n_);
  r.histogram_edges = histogram_->result().edges;
  r.histogram_counts = histogram_->result().counts;
  auto percentile = [this](const percentile_position& p) {
    return interpolate(p, selector_->value(p.below), selector_->value(p.above));
  };
  r.p5 = percentile(p5_);
  r.p50 = percentile(p50_);
  r.p95 = percentile(p95_);
  r.var_95 = r.mean_npv - r.p5;
  return r;
}

} // namespace rtd::finance
