#include "finance/rank_selector.hpp"

#include <algorithm>
#include <limits>

namespace rtd::finance {

rank_selector::division::division(double lo, double hi) : lo(lo) {
  // buckets / (hi - lo) overflows for ranges below ~2^-1008; scaling the deviations up by an
  // exact power of two first keeps every product finite and the index monotone.
  unit = hi - lo < 0x1p-960 ? 0x1p960 : 1.0;
  scale = buckets / ((hi - lo) * unit);
}

std::uint32_t rank_selector::division::bucket_of(double v) const {
  double x = ((v - lo) * unit) * scale;
  return x < buckets - 1 ? static_cast<std::uint32_t>(x) : buckets - 1;
}

rank_selector::rank_selector(std::uint64_t n, double lo, double hi,
                             std::vector<std::uint64_t> ranks)
    : ranks_(std::move(ranks)) {
  std::sort(ranks_.begin(), ranks_.end());
  ranks_.erase(std::unique(ranks_.begin(), ranks_.end()), ranks_.end());
  values_.assign(ranks_.size(), lo);
  if (lo == hi)
    return; // every value is lo
  cell root;
  root.count = n;
  root.ranks = ranks_;
  if (n > max_candidates) {
    root.next = step::split; // its min and max are known: no bound pass needed
    root.split.emplace(lo, hi);
  }
  active_.push_back(std::move(root));
  start_pass();
}

void rank_selector::add(const double* values, std::size_t count) {
  cell& first = active_.front();
  if (first.path.empty()) { // the root, then the only cell: every value is in it
    if (first.next == step::collect) {
      first.members.insert(first.members.end(), values, values + count);
      return;
    }
    const division& split = *first.split;
    std::uint32_t* counts = first.counts.data();
    for (std::size_t i = 0; i < count; ++i)
      ++counts[split.bucket_of(values[i])];
    return;
  }
  // Every cell below the root starts with the root's division: its bucket is computed once.
  const division& root = first.path.front().split;
  for (std::size_t i = 0; i < count; ++i) {
    double v = values[i];
    std::uint32_t root_bucket = root.bucket_of(v);
    for (cell& c : active_) {
      if (c.path.front().bucket != root_bucket)
        continue;
      bool inside = std::all_of(c.path.begin() + 1, c.path.end(),
                                [v](const level& l) { return l.split.bucket_of(v) == l.bucket; });
      if (inside)
        take(c, v);
    }
  }
}

void rank_selector::take(cell& c, double v) {
  switch (c.next) {
  case step::split:
    ++c.counts[c.split->bucket_of(v)];
    break;
  case step::bound:
    c.min = std::min(c.min, v);
    c.max = std::max(c.max, v);
    break;
  case step::collect:
    c.members.push_back(v);
    break;
  }
}

void rank_selector::end_pass() {
  note_bytes(); // before anything is freed, and after any growth a replay bug would cause
  std::vector<cell> next;
  for (cell& c : active_) {
    switch (c.next) {
    case step::collect:
      for (std::uint64_t rank : c.ranks) {
        auto nth = c.members.begin() + static_cast<std::ptrdiff_t>(rank - c.first_rank);
        std::nth_element(c.members.begin(), nth, c.members.end());
        resolve(rank, *nth);
      }
      break;
    case step::bound:
      if (c.min == c.max) {
        for (std::uint64_t rank : c.ranks)
          resolve(rank, c.min);
      } else {
        c.next = step::split;
        c.split.emplace(c.min, c.max);
        next.push_back(std::move(c));
      }
      break;
    case step::split:
      split_cell(c, next);
      break;
    }
  }
  active_ = std::move(next); // frees the finished cells' buffers before the next are made
  ++passes_;
  start_pass();
}

void rank_selector::split_cell(const cell& c, std::vector<cell>& next) {
  std::uint64_t start = c.first_rank; // rank of bucket b's smallest value
  auto rank = c.ranks.begin();
  for (std::uint32_t b = 0; b < buckets && rank != c.ranks.end(); ++b) {
    std::uint64_t end = start + c.counts[b];
    if (*rank < end) {
      cell child;
      child.path = c.path;
      child.path.push_back({*c.split, b});
      child.first_rank = start;
      child.count = c.counts[b];
      while (rank != c.ranks.end() && *rank < end)
        child.ranks.push_back(*rank++);
      child.next = child.count <= max_candidates ? step::collect : step::bound;
      next.push_back(std::move(child));
    }
    start = end;
  }
}

void rank_selector::resolve(std::uint64_t rank, double value) {
  values_[std::lower_bound(ranks_.begin(), ranks_.end(), rank) - ranks_.begin()] = value;
}

void rank_selector::start_pass() {
  for (cell& c : active_) {
    switch (c.next) {
    case step::split:
      c.counts.assign(buckets, 0);
      break;
    case step::bound:
      c.min = std::numeric_limits<double>::infinity();
      c.max = -std::numeric_limits<double>::infinity();
      break;
    case step::collect:
      c.members.reserve(c.count);
      break;
    }
  }
  note_bytes();
}

void rank_selector::note_bytes() {
  std::uint64_t bytes = 0;
  for (const cell& c : active_)
    bytes += c.counts.capacity() * sizeof(std::uint32_t) + c.members.capacity() * sizeof(double);
  peak_bytes_ = std::max(peak_bytes_, bytes);
}

double rank_selector::value(std::uint64_t rank) const {
  return values_[std::lower_bound(ranks_.begin(), ranks_.end(), rank) - ranks_.begin()];
}

} // namespace rtd::finance
