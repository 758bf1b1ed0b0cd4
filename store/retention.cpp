// Retention: the oldest rows of a channel go first (oldest epoch, then lowest seq), so what
// is kept of an epoch is always a suffix of it and covers() stays exact.
#include "store/publication_log.hpp"

#include "store/segment.hpp"

#include <algorithm>
#include <limits>

namespace rtd::store {

namespace {

std::int64_t cutoff(std::int64_t now_us, std::int64_t max_age_us) {
  std::int64_t c = 0;
  if (__builtin_sub_overflow(now_us, max_age_us, &c))
    return max_age_us > 0 ? std::numeric_limits<std::int64_t>::min()
                          : std::numeric_limits<std::int64_t>::max();
  return c;
}

} // namespace

publication_log::bounds::bounds(const retention_policy& policy, std::int64_t now_us)
    : max_rows(policy.max_rows.value_or(std::numeric_limits<std::uint64_t>::max())),
      max_bytes(policy.max_bytes.value_or(std::numeric_limits<std::uint64_t>::max())),
      oldest_allowed_us(policy.max_age_us ? cutoff(now_us, *policy.max_age_us)
                                          : std::numeric_limits<std::int64_t>::min()) {}

bool publication_log::bounds::exceeded_by(const channel_stats& c) const {
  auto total = c.total();
  return total.rows > max_rows || total.bytes > max_bytes ||
         std::any_of(c.epochs.begin(), c.epochs.end(), [&](const epoch_stats& e) {
           return e.rows > 0 && e.oldest_us < oldest_allowed_us;
         });
}

std::uint64_t publication_log::apply_retention(std::string_view channel,
                                               const retention_policy& policy,
                                               std::int64_t now_us) {
  auto it = stats_.find(channel);
  bounds b{policy, now_us};
  if (it == stats_.end() || !b.exceeded_by(it->second))
    return 0;
  channel_stats c = it->second;
  sqlite::transaction tx{db_};
  auto deleted = trim(channel, c, b);
  save(channel, c);
  tx.commit();
  it->second = std::move(c);
  return deleted;
}

std::uint64_t publication_log::trim(std::string_view channel, channel_stats& c, const bounds& b) {
  return trim_age(channel, c, b.oldest_allowed_us) + trim_size(channel, c, b.max_rows, b.max_bytes);
}

// Removes, per epoch, every row up to the last one older than the cutoff: with a clock that
// never steps back that is exactly the rows older than the cutoff.
std::uint64_t publication_log::trim_age(std::string_view channel, channel_stats& c,
                                        std::int64_t cutoff_us) {
  std::uint64_t deleted = 0;
  for (auto& e : c.epochs) {
    if (e.rows == 0 || e.oldest_us >= cutoff_us)
      continue;
    // The last record older than the cutoff is in the newest segment holding one.
    std::uint64_t last = 0;
    if (auto r = age_segment_.query(channel, e.epoch, cutoff_us); r.next())
      for (const auto& record : segment::records(r.bytes(0)))
        if (record.time_us < cutoff_us && record.seq >= e.first_seq)
          last = record.seq;
    deleted += remove_oldest(channel, e, [&](const segment::record& r) { return r.seq <= last; });
  }
  return deleted;
}

std::uint64_t publication_log::trim_size(std::string_view channel, channel_stats& c,
                                         std::uint64_t max_rows, std::uint64_t max_bytes) {
  auto total = c.total();
  std::uint64_t deleted = 0;
  for (auto& e : c.epochs) {
    if (total.rows <= max_rows && total.bytes <= max_bytes)
      break;
    deleted += remove_oldest(channel, e, [&](const segment::record& r) {
      if (total.rows <= max_rows && total.bytes <= max_bytes)
        return false;
      total.rows -= 1;
      total.bytes -= r.frame.size();
      return true;
    });
  }
  return deleted;
}

// Deletes the segments wholly taken; the one taken in part keeps its body, its taken records
// fall below the epoch's first_seq. Counted here, not with RETURNING, which would make SQLite
// buffer every deleted row first.
template <class Take>
std::uint64_t publication_log::remove_oldest(std::string_view channel, epoch_stats& e, Take take) {
  if (e.rows == 0)
    return 0;
  store::usage removed;
  std::uint64_t last = 0;
  std::optional<std::uint64_t> first_kept;
  {
    auto rows = oldest_first_.query(channel, e.epoch);
    while (!first_kept && rows.next())
      for (const auto& r : segment::records(rows.bytes(1))) {
        if (r.seq < e.first_seq)
          continue;
        if (!take(r)) {
          first_kept = r.seq;
          break;
        }
        last = r.seq;
        removed.rows += 1;
        removed.bytes += r.frame.size();
      }
  }
  if (removed.rows == 0)
    return 0;
  delete_through_.run(channel, e.epoch, last);
  e.rows -= removed.rows;
  e.bytes -= removed.bytes;
  e.first_seq = first_kept.value_or(0);
  e.dirty = true;
  refresh(channel, e);
  return removed.rows;
}

} // namespace rtd::store
