// The history queries. Each asks for one row more than the limit, so has_more is exact.
#include "store/publication_log.hpp"

#include <algorithm>

namespace rtd::store {

namespace {

std::int64_t one_more(std::uint32_t limit) {
  return static_cast<std::int64_t>(limit) + 1;
}

} // namespace

page publication_log::read_page(sqlite::statement::rows rows, std::uint32_t limit,
                                bool descending) {
  page p;
  while (rows.next()) {
    if (p.items.size() == limit) {
      p.has_more = true;
      break;
    }
    p.items.push_back({static_cast<std::uint64_t>(rows.int64(0)), rows.int64(1), rows.text(2)});
  }
  if (descending)
    std::reverse(p.items.begin(), p.items.end());
  return p;
}

page publication_log::after(std::string_view channel, std::string_view epoch,
                            std::uint64_t since_seq, std::uint32_t limit) {
  return read_page(after_.query(channel, epoch, since_seq, one_more(limit)), limit, false);
}

page publication_log::newest(std::string_view channel, std::string_view epoch,
                             std::uint32_t limit) {
  return read_page(newest_.query(channel, epoch, one_more(limit)), limit, true);
}

page publication_log::between(std::string_view channel, std::string_view epoch,
                              std::int64_t from_us, std::int64_t to_us, std::uint32_t limit,
                              std::optional<std::uint64_t> since_seq) {
  if (since_seq)
    return read_page(
        between_after_.query(channel, epoch, from_us, to_us, *since_seq, one_more(limit)), limit,
        false);
  return read_page(between_newest_.query(channel, epoch, from_us, to_us, one_more(limit)), limit,
                   true);
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
  // Holes somewhere (a batch that never made it): count what is stored after since_seq.
  auto r = count_after_.query(channel, epoch, since_seq);
  return r.next() && static_cast<std::uint64_t>(r.int64(0)) == c->head.seq - since_seq;
}

} // namespace rtd::store
