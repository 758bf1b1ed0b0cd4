#include "bench/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace rtd::bench {

namespace {

constexpr int linear_bits = 10; // exact values below 2^10
constexpr int sub_bits = 9;     // 512 sub-buckets per power of two above
constexpr int max_bits = 40;    // values clamp at 2^40 us (12 days)
constexpr std::size_t bucket_count =
    (std::size_t{1} << linear_bits) + (max_bits - linear_bits) * (std::size_t{1} << sub_bits);

std::size_t index_of(std::uint64_t v) {
  if (v < (std::uint64_t{1} << linear_bits))
    return static_cast<std::size_t>(v);
  if (v >= (std::uint64_t{1} << max_bits))
    return bucket_count - 1;
  int top = 63 - __builtin_clzll(v); // >= linear_bits
  std::uint64_t sub = (v >> (top - sub_bits)) & ((std::uint64_t{1} << sub_bits) - 1);
  return (std::size_t{1} << linear_bits) +
         static_cast<std::size_t>(top - linear_bits) * (std::size_t{1} << sub_bits) +
         static_cast<std::size_t>(sub);
}

/// The smallest value of bucket i.
std::int64_t lowest_of(std::size_t i) {
  if (i < (std::size_t{1} << linear_bits))
    return static_cast<std::int64_t>(i);
  std::size_t rel = i - (std::size_t{1} << linear_bits);
  int top = static_cast<int>(rel >> sub_bits) + linear_bits;
  std::uint64_t sub = rel & ((std::size_t{1} << sub_bits) - 1);
  return static_cast<std::int64_t>((std::uint64_t{1} << top) | (sub << (top - sub_bits)));
}

} // namespace

histogram::histogram() : counts_(bucket_count, 0) {}

void histogram::record(std::int64_t us) {
  if (us < 0)
    us = 0;
  ++counts_[index_of(static_cast<std::uint64_t>(us))];
  ++count_;
  sum_ += us;
  max_ = std::max(max_, us);
}

void histogram::merge(const histogram& other) {
  for (std::size_t i = 0; i < bucket_count; ++i)
    counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  max_ = std::max(max_, other.max_);
}

std::int64_t histogram::percentile(double q) const {
  if (count_ == 0)
    return 0;
  auto rank = static_cast<std::uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * count_));
  rank = std::max<std::uint64_t>(rank, 1);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < bucket_count; ++i) {
    seen += counts_[i];
    if (seen >= rank)
      return std::min(lowest_of(i), max_);
  }
  return max_;
}

std::string histogram::serialize() const {
  std::ostringstream out;
  out << count_ << ' ' << sum_ << ' ' << max_;
  for (std::size_t i = 0; i < bucket_count; ++i)
    if (counts_[i])
      out << ' ' << i << ':' << counts_[i];
  return out.str();
}

histogram histogram::deserialize(const std::string& text) {
  histogram h;
  std::istringstream in(text);
  in >> h.count_ >> h.sum_ >> h.max_;
  std::size_t i;
  char colon;
  std::uint64_t n;
  while (in >> i >> colon >> n)
    if (i < bucket_count)
      h.counts_[i] = n;
  return h;
}

} // namespace rtd::bench
