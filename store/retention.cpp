// Retention: the oldest rows of a channel go first (oldest epoch, then lowest seq), so what
// is kept of an epoch is always a suffix of it and covers() stays exact.
#include "store/publication_log.hpp"

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

std::uint64_t publication_log::apply_retention(std::string_view channel,
                                               const retention_policy& policy,
                                               std::int64_t now_us) {
  auto it = stats_.find(channel);
  if (it == stats_.end())
    return 0;
  constexpr auto unbounded = std::numeric_limits<std::uint64_t>::max();
  auto max_rows = policy.max_rows.value_or(unbounded);
  auto max_bytes = policy.max_bytes.value_or(unbounded);
  auto oldest_allowed = policy.max_age_us ? cutoff(now_us, *policy.max_age_us)
                                          : std::numeric_limits<std::int64_t>::min();
  // Decided from memory: no query at all when nothing is due.
  const auto& epochs = it->second.epochs;
  bool too_old = std::any_of(epochs.begin(), epochs.end(), [&](const epoch_stats& e) {
    return e.rows > 0 && e.oldest_us < oldest_allowed;
  });
  auto total = it->second.total();
  bool too_big = total.rows > max_rows || total.bytes > max_bytes;
  if (!too_old && !too_big)
    return 0;

  channel_stats c = it->second;
  sqlite::transaction tx{db_};
  std::uint64_t deleted = 0;
  if (too_old)
    deleted += trim_age(channel, c, oldest_allowed);
  deleted += trim_size(channel, c, max_rows, max_bytes);
  save(channel, c);
  tx.commit();
  it->second = std::move(c);
  return deleted;
}

// Removes, per epoch, every row up to the last one older than the cutoff: with a clock that
// never steps back that is exactly the rows older than the cutoff.
std::uint64_t publication_log::trim_age(std::string_view channel, channel_stats& c,
                                        std::int64_t cutoff_us) {
  std::uint64_t deleted = 0;
  for (auto& e : c.epochs) {
    if (e.rows == 0 || e.oldest_us >= cutoff_us)
      continue;
    std::int64_t last = 0;
    {
      auto r = age_cut_.query(channel, e.epoch, cutoff_us);
      if (r.next())
        last = r.int64(0);
    }
    deleted += delete_through(channel, e, static_cast<std::uint64_t>(last));
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
    if (e.rows == 0)
      continue;
    // Walks the epoch oldest first to the last row that has to go.
    std::uint64_t last = 0;
    {
      auto r = sizes_.query(channel, e.epoch);
      while ((total.rows > max_rows || total.bytes > max_bytes) && r.next()) {
        last = static_cast<std::uint64_t>(r.int64(0));
        total.rows -= 1;
        total.bytes -= static_cast<std::uint64_t>(r.int64(1));
      }
    }
    deleted += delete_through(channel, e, last);
  }
  return deleted;
}

std::uint64_t publication_log::delete_through(std::string_view channel, epoch_stats& e,
                                              std::uint64_t last) {
  std::uint64_t rows = 0;
  std::uint64_t bytes = 0;
  {
    auto r = delete_through_.query(channel, e.epoch, last);
    while (r.next()) {
      ++rows;
      bytes += static_cast<std::uint64_t>(r.int64(0));
    }
  }
  e.rows -= rows;
  e.bytes -= bytes;
  e.dirty = true;
  refresh(channel, e);
  return rows;
}

} // namespace rtd::store
