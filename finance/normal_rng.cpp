#include "finance/normal_rng.hpp"

#include <cmath>

namespace rtd::finance {
namespace {

// Marsaglia & Tsang (2000), 256 layers: R is the start of the tail, V the common area of
// every layer (the base layer counts its tail beyond R). With these, the recursion below
// closes at x[256] = 0 to within rounding.
constexpr double tail_start = 3.6541528853610088;
constexpr double layer_area = 4.92867323399e-3;

double density(double x) {
  return std::exp(-0.5 * x * x);
}

ziggurat_tables make_tables() {
  ziggurat_tables t{};
  t.x[0] = layer_area / density(tail_start);
  t.x[1] = tail_start;
  // Layer i has area V: x[i] * (f(x[i+1]) - f(x[i])) = V, solved for x[i+1].
  for (int i = 1; i < 255; ++i)
    t.x[i + 1] = std::sqrt(-2.0 * std::log(layer_area / t.x[i] + density(t.x[i])));
  t.x[256] = 0;
  for (int i = 0; i < 256; ++i) {
    t.f[i] = density(t.x[i]);
    t.ratio[i] = t.x[i + 1] / t.x[i];
  }
  t.f[256] = 1;
  return t;
}

} // namespace

xoshiro256pp::xoshiro256pp(std::uint64_t seed) {
  for (auto& word : s_)
    word = splitmix64(seed);
  // splitmix64 is a bijection of its counter, so four consecutive outputs cannot all be zero;
  // the guard documents the invariant xoshiro needs.
  if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0)
    s_[0] = 1;
}

const ziggurat_tables& ziggurat() {
  static const ziggurat_tables tables = make_tables();
  return tables;
}

double normal_generator::slow_path(std::uint64_t r) {
  const ziggurat_tables& t = *tables_;
  for (;; r = bits_()) {
    unsigned layer = r & 0xff;
    double u = static_cast<double>(r >> 11) * 0x1p-53;
    double x = u * t.x[layer];
    if (u < t.ratio[layer])
      return with_sign(x, r);
    if (layer == 0) {
      // Tail beyond R (Marsaglia 1964): x = -ln(u1)/R is accepted when -2 ln(u2) > x^2.
      for (;;) {
        double tx = -std::log(bits_.uniform_open_zero()) / tail_start;
        double ty = -std::log(bits_.uniform_open_zero());
        if (2 * ty > tx * tx)
          return with_sign(tail_start + tx, r);
      }
    }
    // Wedge: a uniform height within the layer is compared with the density at x.
    double height = t.f[layer] + bits_.uniform_open_zero() * (t.f[layer + 1] - t.f[layer]);
    if (height < density(x))
      return with_sign(x, r);
  }
}

} // namespace rtd::finance
