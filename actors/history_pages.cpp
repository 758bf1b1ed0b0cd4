#include "actors/history_pages.hpp"

#include "protocol/codec.hpp"

#include <algorithm>
#include <limits>

namespace rtd {

namespace {

/// Whether the query pages forward (oldest first after since_seq) rather than backward.
bool forward(const history_query& q) {
  return q.since_seq.has_value();
}

/// Cuts `p` to at most `max_bytes` of payload, keeping at least one item.
void cap_bytes(history_page& p, std::size_t max_bytes, bool keep_oldest) {
  std::size_t bytes = 0;
  std::size_t kept = 0;
  auto fits = [&](const history_item& item) {
    bytes += item.data->payload().size();
    return kept == 0 || bytes <= max_bytes;
  };
  auto& items = p.items;
  if (keep_oldest) {
    while (kept < items.size() && fits(items[kept]))
      ++kept;
    if (kept < items.size()) {
      items.erase(items.begin() + static_cast<std::ptrdiff_t>(kept), items.end());
      p.has_more = true;
    }
  } else {
    while (kept < items.size() && fits(items[items.size() - 1 - kept]))
      ++kept;
    if (kept < items.size()) {
      items.erase(items.begin(), items.end() - static_cast<std::ptrdiff_t>(kept));
      p.has_more = true;
    }
  }
}

} // namespace

store::result<history_page> store_page(store::history_db& db, const history_query& q) {
  const auto name = protocol::to_string(q.channel);
  auto rows = [&]() -> store::result<store::page> {
    if (q.from_us || q.to_us)
      return db.between(name, q.epoch, q.from_us.value_or(std::numeric_limits<std::int64_t>::min()),
                        q.to_us.value_or(std::numeric_limits<std::int64_t>::max()), q.limit,
                        q.since_seq);
    if (q.since_seq)
      return db.after(name, q.epoch, *q.since_seq, q.limit);
    return db.newest(name, q.epoch, q.limit);
  }();
  if (!rows)
    return rows.failure();
  history_page p;
  p.has_more = rows->has_more;
  p.items.reserve(rows->items.size());
  for (const auto& row : rows->items)
    p.items.push_back({row.seq, make_frame(row.frame)});
  cap_bytes(p, q.max_bytes, forward(q));
  return p;
}

history_page ring_page(const publication_ring& ring, const history_query& q) {
  std::vector<history_item> matches;
  ring.for_each_after(q.since_seq.value_or(0), [&](const publication_ring::entry& e) {
    auto t = to_micros(e.time);
    if ((!q.from_us || t >= *q.from_us) && (!q.to_us || t <= *q.to_us))
      matches.push_back({e.seq, e.text});
  });
  history_page p;
  p.has_more = matches.size() > q.limit;
  if (p.has_more) {
    auto first = forward(q) ? matches.begin() : matches.end() - q.limit;
    p.items.assign(first, first + q.limit);
  } else {
    p.items = std::move(matches);
  }
  cap_bytes(p, q.max_bytes, forward(q));
  return p;
}

history_query to_query(const protocol::history_request& req) {
  history_query q;
  q.channel = req.target;
  q.since_seq = req.since_seq;
  if (req.from)
    q.from_us = to_micros(*req.from);
  if (req.to)
    q.to_us = to_micros(*req.to);
  q.limit = req.limit;
  return q;
}

std::string encode_history(const protocol::correlation_id& id, protocol::channel target,
                           const history_page& page) {
  protocol::history_reply reply{id, target, {}, page.has_more};
  reply.items.reserve(page.items.size());
  for (const auto& item : page.items)
    reply.items.push_back(item.data->payload());
  return protocol::encode(reply);
}

} // namespace rtd
