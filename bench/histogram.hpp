#pragma once
// Latency histogram: exact below 1,024 us, then 512 sub-buckets per power of two (relative
// error under 0.2%), up to 2^40 us. Merging two histograms adds their counts, so results of
// several threads and processes combine exactly.

#include <cstdint>
#include <string>
#include <vector>

namespace rtd::bench {

class histogram {
public:
  histogram();

  /// Records one value in microseconds (negative values count as 0).
  void record(std::int64_t us);

  /// Adds every count of `other`.
  void merge(const histogram& other);

  std::uint64_t count() const noexcept { return count_; }
  std::int64_t max() const noexcept { return max_; }
  double mean() const noexcept { return count_ ? static_cast<double>(sum_) / count_ : 0; }

  /// The value at quantile q in [0, 1] (the smallest recorded value v with at least q of the
  /// values <= v, to the bucket's precision); 0 when empty.
  std::int64_t percentile(double q) const;

  /// One line of text ("count sum max idx:n idx:n ..."), and back.
  std::string serialize() const;
  static histogram deserialize(const std::string& text);

private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::int64_t sum_ = 0;
  std::int64_t max_ = 0;
};

} // namespace rtd::bench
