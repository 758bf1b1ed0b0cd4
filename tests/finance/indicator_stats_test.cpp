// indicator_stats: the sliding statistics against a direct two-pass recomputation over the
// window at every step of long random series; the EWMAs, trend rule and reversals on series
// whose answers are known by construction.
#include "finance/indicator_stats.hpp"

#include "finance/normal_rng.hpp"

#include "expect_ok.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <string>
#include <vector>

using namespace rtd::finance;
using rtd::finance::test::expect_error;
using rtd::finance::test::expect_ok;

namespace {

/// Mean and sample std of `v`, two passes.
struct direct_stats {
  double mean = 0;
  double std = 0;
};
direct_stats direct(const std::deque<double>& v) {
  direct_stats s;
  for (double x : v)
    s.mean += x;
  s.mean /= static_cast<double>(v.size());
  if (v.size() < 2)
    return s;
  double m2 = 0;
  for (double x : v)
    m2 += (x - s.mean) * (x - s.mean);
  s.std = std::sqrt(m2 / static_cast<double>(v.size() - 1));
  return s;
}

/// Largest errors of the sliding statistics over a run: of the mean relative to the mean, of
/// the stds relative to max(direct std, floor), of the z-score in units of max(std, floor)
/// over std (the error of x - mean in the same units).
struct worst_errors {
  double mean = 0, std = 0, volatility = 0, zscore = 0;
};

/// Feeds `steps` values of x <- x + reversion (level - x) + volatility Z and compares every
/// step with a direct recomputation over the last `window` values and changes.
worst_errors compare_with_direct(double level, double reversion, double volatility,
                                 std::size_t steps, std::size_t window, std::uint64_t seed,
                                 double floor = 0) {
  auto stats = expect_ok(indicator_stats::create({5, 20, window}));
  normal_generator normals(seed);
  std::deque<double> values, changes;
  worst_errors w;
  double x = level;
  for (std::size_t t = 0; t < steps; ++t) {
    if (t > 0) {
      double next = x + reversion * (level - x) + volatility * normals();
      changes.push_back(next - x);
      x = next;
    }
    values.push_back(x);
    if (values.size() > window)
      values.pop_front();
    if (changes.size() > window)
      changes.pop_front();
    auto out = *stats.update(x);
    auto lv = direct(values);
    w.mean = std::max(w.mean, std::abs(out.rolling_mean - lv.mean) / std::abs(lv.mean));
    if (values.size() >= 2) {
      double unit = std::max(lv.std, floor);
      w.std = std::max(w.std, std::abs(out.rolling_std - lv.std) / unit);
      double z = (x - lv.mean) / lv.std;
      w.zscore = std::max(w.zscore, std::abs(out.zscore - z) * lv.std / unit);
    }
    if (changes.size() >= 2) {
      auto ch = direct(changes);
      double unit = std::max(ch.std, floor);
      w.volatility = std::max(w.volatility, std::abs(out.volatility - ch.std) / unit);
    }
  }
  return w;
}

/// Feeds `values` and returns every step's outputs.
std::vector<indicator_analytics> feed(indicator_stats& stats, const std::vector<double>& values) {
  std::vector<indicator_analytics> out;
  for (double x : values)
    out.push_back(expect_ok(stats.update(x)));
  return out;
}

} // namespace

TEST_CASE("sliding statistics match a direct recomputation over 1,000,000 steps") {
  // The market model's discount_rate and tech_index dynamics (actors/market_model.cpp; the
  // index walks in log space there, a plain walk of the same size here). Relative 1e-9 is
  // the contract; the errors measured are ~1e-13 or below.
  struct scale {
    const char* name;
    double level, reversion, volatility;
  };
  for (auto s : {scale{"discount_rate", 0.08, 0.03, 0.0015}, scale{"tech_index", 100, 0.02, 1.0}}) {
    INFO(std::string(s.name));
    auto w = compare_with_direct(s.level, s.reversion, s.volatility, 1'000'000, 60, 17);
    MESSAGE(std::string(s.name) << ": worst relative error mean " << w.mean << ", std " << w.std
                                << ", volatility " << w.volatility << "; zscore absolute "
                                << w.zscore);
    CHECK(w.mean < 1e-9);
    CHECK(w.std < 1e-9);
    CHECK(w.volatility < 1e-9);
    CHECK(w.zscore < 1e-9);
  }
}

TEST_CASE("sliding statistics with the smallest and an uneven window") {
  // A window of 2 or 7 values now and then has a std far below its usual size (two nearly
  // equal values), where the sliding sums' absolute error, ~1e-16 of the usual size, is a
  // large part of it. Errors are therefore measured against max(std, the walk's step sd).
  for (std::size_t window : {2, 7}) {
    INFO("window " << window);
    auto w = compare_with_direct(0.35, 0.02, 0.004, 20000, window, 5, 0.004);
    CHECK(w.mean < 1e-12);
    CHECK(w.std < 1e-9);
    CHECK(w.volatility < 1e-9);
    CHECK(w.zscore < 1e-9);
  }
}

TEST_CASE("a constant window has std exactly 0 and z-score 0, then sliding resumes") {
  auto stats = expect_ok(indicator_stats::create({2, 8, 10}));
  normal_generator normals(3);
  std::vector<double> series;
  for (int t = 0; t < 5000; ++t)
    series.push_back(100 + normals());
  series.insert(series.end(), 30, 101.37);
  auto out = feed(stats, series);
  // From the 10th constant value on, the window holds one value only.
  for (std::size_t t = 5000 + 9; t < series.size(); ++t) {
    CHECK(out[t].rolling_mean == 101.37);
    CHECK(out[t].rolling_std == 0);
    CHECK(out[t].zscore == 0);
    CHECK(out[t].trend_strength == 0);
    CHECK(out[t].trend == trend_direction::flat);
  }
  CHECK(out.back().volatility == 0); // all changes 0 too
  // After the reset: 100 then 101.37 x 9 gives mean 101.233 and std 0.433 exactly-ish.
  auto next = expect_ok(stats.update(100));
  std::deque<double> window(9, 101.37);
  window.push_back(100);
  CHECK(next.rolling_mean == doctest::Approx(direct(window).mean).epsilon(1e-15));
  CHECK(next.rolling_std == doctest::Approx(direct(window).std).epsilon(1e-14));
}

TEST_CASE("the first value sets both EWMAs; a half-life halves the gap") {
  auto stats = expect_ok(indicator_stats::create({4, 10, 60}));
  auto first = expect_ok(stats.update(3.5));
  CHECK(first.value == 3.5);
  CHECK(first.ewma_fast == 3.5);
  CHECK(first.ewma_slow == 3.5);
  CHECK(first.rolling_mean == 3.5);
  CHECK(first.rolling_std == 0);
  CHECK(first.volatility == 0);
  CHECK(first.zscore == 0);
  CHECK(first.trend == trend_direction::flat);
  CHECK_FALSE(first.reversal);
  // A step from 3.5 to 5.5: after 4 steps the fast EWMA has closed half the gap of 2, after
  // 10 steps the slow one has ((1 - a)^h = 2^-1 by the definition of a).
  std::vector<indicator_analytics> out;
  for (int t = 0; t < 10; ++t)
    out.push_back(expect_ok(stats.update(5.5)));
  CHECK(out[3].ewma_fast == doctest::Approx(4.5).epsilon(1e-14));
  CHECK(out[9].ewma_slow == doctest::Approx(4.5).epsilon(1e-14));
  CHECK(stats.steps() == 11);
}

TEST_CASE("a straight line has trend strength 1 once the EWMAs settle") {
  auto stats = expect_ok(indicator_stats::create());
  std::vector<double> up, down;
  for (int t = 0; t < 400; ++t) {
    up.push_back(0.05 + 0.0001 * t);
    down.push_back(100 - 0.5 * t);
  }
  auto rising = feed(stats, up);
  // Settled: the slow EWMA's lag is exact to 2^-(400 / 20) ~ 1e-6 of itself.
  CHECK(rising.back().trend == trend_direction::up);
  CHECK(rising.back().trend_strength == doctest::Approx(1).epsilon(1e-4));
  CHECK(rising.back().volatility < 1e-12); // every change is 1e-4, up to rounding
  // The last point of a line lies (W - 1) / 2 steps above its window's mean.
  double z_line = 29.5 / std::sqrt(60.0 * 61 / 12);
  CHECK(rising.back().zscore == doctest::Approx(z_line).epsilon(1e-9));
  auto other = expect_ok(indicator_stats::create());
  auto falling = feed(other, down);
  CHECK(falling.back().trend == trend_direction::down);
  CHECK(falling.back().trend_strength == doctest::Approx(1).epsilon(1e-4));
  CHECK(falling.back().zscore == doctest::Approx(-z_line).epsilon(1e-9));
  for (const auto& o : rising)
    CHECK_FALSE(o.reversal);
}

TEST_CASE("trend flat below the threshold, up and down above it") {
  // Noise with no drift hovers around strength 0.1-0.5; check the rule against the outputs.
  auto stats = expect_ok(indicator_stats::create());
  normal_generator normals(11);
  for (int t = 0; t < 20000; ++t) {
    auto o = expect_ok(stats.update(0.08 + 0.001 * normals()));
    CHECK((o.trend_strength >= 0 && o.trend_strength <= 1));
    double d = o.ewma_fast - o.ewma_slow;
    if (o.trend_strength < indicator_stats::flat_threshold)
      CHECK(o.trend == trend_direction::flat);
    else
      CHECK(o.trend == (d > 0 ? trend_direction::up : trend_direction::down));
  }
}

TEST_CASE("reversal: up to down across a flat stretch counts once; up, flat, up does not") {
  // Rise, hold still (the EWMAs converge: flat), fall, hold, rise again.
  std::vector<double> series;
  double x = 10;
  auto segment = [&](int steps, double slope) {
    for (int t = 0; t < steps; ++t)
      series.push_back(x += slope);
  };
  segment(200, 0.1);
  segment(300, 0);
  segment(200, -0.1);
  segment(300, 0);
  segment(200, 0.1);
  auto stats = expect_ok(indicator_stats::create());
  auto out = feed(stats, series);
  std::vector<std::size_t> reversals;
  for (std::size_t t = 0; t < out.size(); ++t)
    if (out[t].reversal)
      reversals.push_back(t);
  REQUIRE(reversals.size() == 2);
  // Each one at the first non-flat step after the turn, and that step's trend is the new one.
  CHECK(out[reversals[0]].trend == trend_direction::down);
  CHECK(out[reversals[1]].trend == trend_direction::up);
  for (std::size_t k = 0; k < 2; ++k) {
    std::size_t t = reversals[k];
    INFO("reversal at step " << t);
    // The fall starts at 500, the rise at 1000; after a still window the first move is
    // already a strong trend against its tiny std.
    CHECK((t >= 500 + 500 * k && t < 700 + 500 * k));
    CHECK(out[t - 1].trend == trend_direction::flat); // the hold ended flat
  }

  // Up, flat, up again: no reversal.
  series.clear();
  x = 10;
  segment(200, 0.1);
  segment(300, 0);
  segment(200, 0.1);
  auto again = expect_ok(indicator_stats::create());
  for (const auto& o : feed(again, series))
    CHECK_FALSE(o.reversal);
}

TEST_CASE("a refused value leaves the state untouched") {
  auto a = expect_ok(indicator_stats::create());
  auto b = expect_ok(indicator_stats::create());
  normal_generator normals(2);
  for (int t = 0; t < 100; ++t) {
    double x = 1 + normals();
    expect_ok(a.update(x));
    expect_ok(b.update(x));
    if (t == 50) {
      CHECK(expect_error(a.update(NAN)).field == "value");
      CHECK(expect_error(a.update(INFINITY)).field == "value");
      CHECK(expect_error(a.update(2e100)).field == "value");
    }
  }
  CHECK(a.steps() == 100);
  auto oa = expect_ok(a.update(1.5)), ob = expect_ok(b.update(1.5));
  CHECK(oa.ewma_fast == ob.ewma_fast);
  CHECK(oa.ewma_slow == ob.ewma_slow);
  CHECK(oa.rolling_std == ob.rolling_std);
  CHECK(oa.volatility == ob.volatility);
  CHECK(oa.zscore == ob.zscore);
  CHECK(oa.trend_strength == ob.trend_strength);
  CHECK(expect_ok(a.update(1e100)).value == 1e100); // the limit itself is accepted
}

TEST_CASE("indicator_stats refuses a configuration it cannot run, naming the field") {
  auto field = [](indicator_stats_config c) {
    return expect_error(indicator_stats::create(c)).field;
  };
  CHECK(field({0, 20, 60}) == "fast_half_life");
  CHECK(field({-1, 20, 60}) == "fast_half_life");
  CHECK(field({NAN, 20, 60}) == "fast_half_life");
  CHECK(field({5, INFINITY, 60}) == "slow_half_life");
  CHECK(field({5, 2e9, 60}) == "slow_half_life");
  CHECK(field({5, 5, 60}) == "slow_half_life");
  CHECK(field({5, 4, 60}) == "slow_half_life");
  CHECK(field({5, 20, 1}) == "window");
  CHECK(field({5, 20, indicator_stats::max_window + 1}) == "window");
  CHECK(indicator_stats::create({5, 20, 2}).has_value());
  CHECK(indicator_stats::create({0.5, 1e9, 60}).has_value());
  CHECK(expect_ok(indicator_stats::create()).config().window == 60);
}

TEST_CASE("trend directions have the protocol's names") {
  CHECK(std::string(to_string(trend_direction::up)) == "up");
  CHECK(std::string(to_string(trend_direction::down)) == "down");
  CHECK(std::string(to_string(trend_direction::flat)) == "flat");
}
