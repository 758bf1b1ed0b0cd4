#include "finance/nelder_mead.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace rtd::finance {
namespace {

using point = std::vector<double>;
constexpr double pi = 3.14159265358979323846;

/// The simplex in z, with f evaluated through the map into the box.
class simplex {
public:
  simplex(const std::function<double(const point&)>& f, const point& lower, const point& upper)
      : f_(f), lower_(lower), upper_(upper) {}

  /// The box point of `z`.
  point to_box(const point& z) const {
    point x(z.size());
    for (std::size_t i = 0; i < z.size(); ++i)
      x[i] = std::clamp(lower_[i] + (upper_[i] - lower_[i]) * (1 + std::sin(z[i])) / 2, lower_[i],
                        upper_[i]);
    return x;
  }

  /// A z mapping to `x` (clamped into the box).
  point from_box(const point& x) const {
    point z(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      double u =
          2 * (std::clamp(x[i], lower_[i], upper_[i]) - lower_[i]) / (upper_[i] - lower_[i]) - 1;
      z[i] = std::asin(std::clamp(u, -1.0, 1.0));
    }
    return z;
  }

  /// Adds vertex `z`, evaluating f there.
  void add(point z) {
    values.push_back(evaluate(z));
    vertices.push_back(std::move(z));
  }

  /// f at the box point of `z`.
  double evaluate(const point& z) {
    ++evaluations;
    return f_(to_box(z));
  }

  /// Largest distance of any vertex from the best one, per coordinate, in box units.
  double spread() const {
    point best = to_box(vertices[0]);
    double s = 0;
    for (std::size_t k = 1; k < vertices.size(); ++k) {
      point x = to_box(vertices[k]);
      for (std::size_t i = 0; i < x.size(); ++i)
        s = std::max(s, std::abs(x[i] - best[i]) / (upper_[i] - lower_[i]));
    }
    return s;
  }

  /// Orders the vertices by value, best first (stable: ties keep their order).
  void sort() {
    std::vector<std::size_t> order(vertices.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    std::vector<point> v;
    std::vector<double> f;
    for (std::size_t k : order) {
      v.push_back(std::move(vertices[k]));
      f.push_back(values[k]);
    }
    vertices = std::move(v);
    values = std::move(f);
  }

  std::vector<point> vertices;
  std::vector<double> values;
  int evaluations = 0;

private:
  const std::function<double(const point&)>& f_;
  const point& lower_;
  const point& upper_;
};

/// a + t (b - a).
point along(const point& a, const point& b, double t) {
  point x(a.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    x[i] = a[i] + t * (b[i] - a[i]);
  return x;
}

} // namespace

box_minimum minimize_in_box(const std::function<double(const point&)>& f, point start,
                            const point& lower, const point& upper,
                            const nelder_mead_options& options) {
  const std::size_t d = start.size();
  simplex s(f, lower, upper);
  point z0 = s.from_box(start);
  s.add(z0);
  for (std::size_t i = 0; i < d; ++i) {
    point z = z0;
    // Step away from the nearer bound (z = -pi/2 is lower, pi/2 upper), into the box.
    z[i] += (z[i] <= 0 ? 1 : -1) * options.step * pi;
    s.add(std::move(z));
  }
  s.sort();
  while (s.evaluations < options.max_evaluations && s.spread() > options.tolerance) {
    point centroid(d, 0.0);
    for (std::size_t k = 0; k < d; ++k)
      for (std::size_t i = 0; i < d; ++i)
        centroid[i] += s.vertices[k][i] / static_cast<double>(d);
    const point& worst = s.vertices[d];
    point reflected = along(centroid, worst, -1.0);
    double f_reflected = s.evaluate(reflected);
    if (f_reflected < s.values[0]) {
      point expanded = along(centroid, worst, -2.0);
      double f_expanded = s.evaluate(expanded);
      bool take_expanded = f_expanded < f_reflected;
      s.vertices[d] = take_expanded ? std::move(expanded) : std::move(reflected);
      s.values[d] = take_expanded ? f_expanded : f_reflected;
    } else if (f_reflected < s.values[d - 1]) {
      s.vertices[d] = std::move(reflected);
      s.values[d] = f_reflected;
    } else {
      // Contract towards the better of the reflected and the worst point, else shrink.
      bool outside = f_reflected < s.values[d];
      point contracted = along(centroid, outside ? reflected : worst, 0.5);
      double f_contracted = s.evaluate(contracted);
      if (f_contracted < std::min(f_reflected, s.values[d])) {
        s.vertices[d] = std::move(contracted);
        s.values[d] = f_contracted;
      } else {
        for (std::size_t k = 1; k <= d; ++k) {
          s.vertices[k] = along(s.vertices[0], s.vertices[k], 0.5);
          s.values[k] = s.evaluate(s.vertices[k]);
        }
      }
    }
    s.sort();
  }
  return {s.to_box(s.vertices[0]), s.values[0], s.evaluations};
}

} // namespace rtd::finance
