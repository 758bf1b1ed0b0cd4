// The history queries. Each reads one record more than the limit, so has_more is exact.
#include "store/publication_log.hpp"

#include "store/segment.hpp"

#include <algorithm>

namespace rtd::store {

template <class Keep>
page publication_log::read_page(sqlite::statement::rows rows, std::uint32_t limit, bool descending,
                                std::uint64_t first_seq, Keep keep) {
  page p;
  auto take = [&](const segment::record& r) {
    if (r.seq < first_seq || !keep(r))
      return true;
    if (p.items.size() == limit) {
      p.has_more = true;
      return false;
    }
    p.items.push_back({r.seq, r.time_us, std::string{r.frame}});
    return true;
  };
  bool more = true;
  while (more && rows.next()) {
    auto records = segment::records(rows.bytes(0));
    if (descending)
      more = std::all_of(records.rbegin(), records.rend(), take);
    else
      more = std::all_of(records.begin(), records.end(), take);
  }
  if (descending)
    std::reverse(p.items.begin(), p.items.end());
  return p;
}

page publication_log::after(std::string_view channel, std::string_view epoch,
                            std::uint64_t since_seq, std::uint32_t limit) {
  auto* e = find(channel, epoch);
  if (!e || e->rows == 0)
    return {};
  return read_page(after_.query(channel, epoch, since_seq), limit, false, e->first_seq,
                   [&](const segment::record& r) { return r.seq > since_seq; });
}

page publication_log::newest(std::string_view channel, std::string_view epoch,
                             std::uint32_t limit) {
  auto* e = find(channel, epoch);
  if (!e || e->rows == 0)
    return {};
  return read_page(newest_.query(channel, epoch), limit, true, e->first_seq,
                   [](const segment::record&) { return true; });
}

page publication_log::between(std::string_view channel, std::string_view epoch,
                              std::int64_t from_us, std::int64_t to_us, std::uint32_t limit,
                              std::optional<std::uint64_t> since_seq) {
  auto* e = find(channel, epoch);
  if (!e || e->rows == 0)
    return {};
  auto in_range = [&](const segment::record& r) {
    return r.time_us >= from_us && r.time_us <= to_us && (!since_seq || r.seq > *since_seq);
  };
  if (since_seq)
    return read_page(between_after_.query(channel, epoch, *since_seq, from_us, to_us), limit, false,
                     e->first_seq, in_range);
  return read_page(between_newest_.query(channel, epoch, from_us, to_us), limit, true, e->first_seq,
                   in_range);
}

bool publication_log::covers(std::string_view channel, std::string_view epoch,
                             std::uint64_t since_seq) {
  auto* c = find(channel);
  if (!c || c->head.epoch != epoch || since_seq > c->head.seq)
    return false; // another epoch, or publications this epoch never had
  if (since_seq == c->head.seq)
    return true;                    // nothing missed
  const auto& e = c->epochs.back(); // the head's epoch
  if (e.rows == 0 || e.first_seq > since_seq + 1 || e.last_seq < c->head.seq)
    return false;
  if (e.rows == e.last_seq - e.first_seq + 1)
    return true; // the stored range has no holes
  // Holes somewhere (a batch that never made it): count what is kept after since_seq. The
  // segments starting after it hold only kept records (first_seq <= since_seq + 1).
  std::uint64_t kept = 0;
  if (auto r = count_after_.query(channel, epoch, since_seq); r.next())
    kept = static_cast<std::uint64_t>(r.int64(0));
  if (auto r = containing_.query(channel, epoch, since_seq); r.next())
    for (const auto& record : segment::records(r.bytes(0)))
      kept += record.seq > since_seq && record.seq >= e.first_seq;
  return kept == c->head.seq - since_seq;
}

} // namespace rtd::store
