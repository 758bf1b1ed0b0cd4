#pragma once
// Exact order statistics of a sequence of values that can be replayed, in bounded memory.
//
// A pass shows the selector every value once (any order, the same values every pass). The
// first pass counts the values per bucket of 65,536 equal-width buckets over [min, max]; the
// bucket index is monotone in the value (subtraction, multiplication by positive numbers and
// truncation all preserve order under rounding), so bucket b holds exactly the order
// statistics start[b] .. start[b] + count[b] - 1, and the buckets holding the wanted ranks
// are known. Such a bucket (a "cell") is handled in the next pass by its count:
//   - at most max_candidates values: they are kept, and std::nth_element picks the ranks;
//   - more (a dense bucket, e.g. many tied values): only its min and max are kept. Equal min
//     and max mean every value in it is that value; otherwise the cell is split again, with
//     the same bucket count over its own [min, max], in the pass after.
// A split puts a cell's min in its first bucket and its max in its last, so every split
// cell has fewer distinct values than its parent: the refinement ends. Each split narrows a
// cell's range by ~65,536x, so real data needs no more than one or two of them.
//
// Typical cost: two passes (one when n <= max_candidates). Memory: at most one buffer per
// active cell, each <= 256 KiB (65,536 4-byte counts, or <= 32,768 8-byte values), and at
// most one active cell per wanted rank: max_bytes(ranks).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace rtd::finance {

class rank_selector {
public:
  /// Buckets per split; with 4-byte counts, a split's buffer is 256 KiB.
  static constexpr std::uint32_t buckets = 65536;

  /// Values kept for one cell: as many bytes as a split's counts.
  static constexpr std::uint64_t max_candidates = buckets / 2;

  /// Most bytes of counts and candidates held at any time for `ranks` distinct wanted ranks
  /// (bookkeeping, O(ranks x refinement depth) bytes, aside).
  static constexpr std::uint64_t max_bytes(std::uint64_t ranks) {
    return ranks * buckets * sizeof(std::uint32_t);
  }

  /// Selects `ranks` (each < n; repeats allowed) among n <= 2^32 - 1 values whose minimum is
  /// `lo` and maximum is `hi` (hi - lo finite). When lo == hi every rank's value is known at
  /// once.
  rank_selector(std::uint64_t n, double lo, double hi, std::vector<std::uint64_t> ranks);

  /// True when every rank's value is known: no more passes needed.
  bool done() const noexcept { return active_.empty(); }

  /// Values of the current pass, which must lie in [lo, hi]; only while !done().
  void add(const double* values, std::size_t count);

  /// Ends a pass (every value added once): resolves what it can, plans the next pass.
  void end_pass();

  /// Passes ended so far.
  std::size_t passes() const noexcept { return passes_; }

  /// The value of `rank` (one of the constructor's) in ascending order, once done().
  double value(std::uint64_t rank) const;

  /// Most bytes of counts and candidates held at once so far (their allocated capacity).
  std::uint64_t peak_bytes() const noexcept { return peak_bytes_; }

private:
  /// An equal-width division of [lo, hi] into `buckets`, monotone in the value.
  struct division {
    division(double lo, double hi);
    std::uint32_t bucket_of(double v) const;
    double lo;
    double unit;  ///< a power of two (exact) that keeps `scale` finite for tiny ranges
    double scale; ///< buckets / ((hi - lo) * unit)
  };

  /// A value is in a cell when every level of its path puts it in that level's bucket.
  struct level {
    division split;
    std::uint32_t bucket;
  };

  enum class step { split, bound, collect };

  /// A run of consecutive order statistics holding at least one wanted rank.
  struct cell {
    std::vector<level> path;
    std::uint64_t first_rank = 0;      ///< rank of the cell's smallest value
    std::uint64_t count = 0;           ///< values in the cell
    std::vector<std::uint64_t> ranks;  ///< wanted ranks in the cell, ascending
    step next = step::collect;         ///< what the current pass does with its values
    std::optional<division> split;     ///< step::split: over the cell's [min, max]
    std::vector<std::uint32_t> counts; ///< step::split: values per bucket
    double min = 0;                    ///< step::bound
    double max = 0;
    std::vector<double> members; ///< step::collect
  };

  static void take(cell& c, double v);
  static void split_cell(const cell& c, std::vector<cell>& next);
  void resolve(std::uint64_t rank, double value);
  void start_pass();
  void note_bytes();

  std::vector<std::uint64_t> ranks_; ///< wanted ranks, ascending, distinct
  std::vector<double> values_;       ///< values_[k] is the value of ranks_[k], once resolved
  std::vector<cell> active_;         ///< cells the current pass works on
  std::size_t passes_ = 0;
  std::uint64_t peak_bytes_ = 0;
};

} // namespace rtd::finance
