#pragma once
// Fast, reproducible standard normal variates for the Monte Carlo kernel.
//
// Uniform bits come from xoshiro256++ (Blackman & Vigna, "Scrambled linear pseudorandom number
// generators", 2019), seeded through splitmix64 (Steele, Lea & Flood 2014) as its authors
// recommend. Normals come from the 256-layer Ziggurat of Marsaglia & Tsang ("The Ziggurat
// Method for Generating Random Variables", 2000), written here from the paper. One 64-bit draw
// serves a normal on the fast path (~99% of draws) using disjoint bits: bits 0-7 pick the layer,
// bit 8 the sign, bits 11-63 the 53-bit uniform. Disjoint bits avoid the layer/value
// correlation Doornik (2005) found in implementations that reuse the same bits.
//
// Everything is plain integer and IEEE double arithmetic (no fast-math), so a seed gives the
// same sequence on every run; exp/log on the rare slow path come from the platform libm.

#include <cstdint>
#include <cstring>

namespace rtd::finance {

/// splitmix64: advances `state` and returns the next well-mixed 64-bit value.
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// xoshiro256++: 256 bits of state, period 2^256 - 1, passes BigCrush.
class xoshiro256pp {
public:
  /// Fills the state from splitmix64(seed); never all zero.
  explicit xoshiro256pp(std::uint64_t seed = 0);

  /// The next 64 uniform bits.
  std::uint64_t operator()() {
    std::uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
    std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// A uniform double in (0, 1]: never 0, so safe under log.
  double uniform_open_zero() { return (static_cast<double>((*this)() >> 11) + 1.0) * 0x1p-53; }

private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

/// The precomputed Ziggurat: layer i spans [0, x[i]] x [f[i], f[i+1]], f = exp(-x^2/2).
struct ziggurat_tables {
  double x[257];     ///< x[0] = V / f(R) (the base strip's virtual width), x[1] = R, x[256] = 0
  double f[257];     ///< exp(-x[i]^2 / 2), f[256] = 1
  double ratio[256]; ///< x[i+1] / x[i]: u below it lies wholly under the curve
};

/// The tables, computed once on first use (thread-safe static initialisation).
const ziggurat_tables& ziggurat();

/// Standard normal generator: one xoshiro256++ stream through the Ziggurat.
class normal_generator {
public:
  explicit normal_generator(std::uint64_t seed = 0) : bits_(seed), tables_(&ziggurat()) {}

  /// The next N(0, 1) variate. Inline fast path; rejections go out of line.
  double operator()() {
    std::uint64_t r = bits_();
    unsigned layer = r & 0xff;
    double u = static_cast<double>(r >> 11) * 0x1p-53;
    if (u < tables_->ratio[layer])
      return with_sign(u * tables_->x[layer], r);
    return slow_path(r);
  }

  /// `x` negated when bit 8 of `r` is set. Done on the bits because the sign is a coin flip:
  /// as a branch it would be mispredicted half the time, the main cost of the fast path.
  static double with_sign(double x, std::uint64_t r) {
    std::uint64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    bits ^= (r & 0x100) << 55;
    std::memcpy(&x, &bits, sizeof x);
    return x;
  }

private:
  double slow_path(std::uint64_t r);
  xoshiro256pp bits_;
  const ziggurat_tables* tables_; // cached so the hot path skips the static's guard
};

} // namespace rtd::finance
