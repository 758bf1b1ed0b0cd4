// History pages, with the same semantics whether the store or the channel's ring answers:
// with since_seq the oldest `limit` items after it, without the newest `limit`; from/to
// inclusive; has_more exact; a page is cut at max_bytes (keeping at least one item), its
// oldest items kept when paging forward, its newest otherwise, and has_more then says so.
#pragma once

#include "actors/interfaces.hpp"
#include "actors/publication_ring.hpp"
#include "store/history_db.hpp"

namespace rtd {

/// The page `q` asks for, from the history database.
store::result<history_page> store_page(store::history_db& db, const history_query& q);

/// The page `q` asks for, from the ring alone (when the node keeps no history on disk).
history_page ring_page(const publication_ring& ring, const history_query& q);

/// Microseconds since the Unix epoch, as the store keeps publication times.
inline std::int64_t to_micros(protocol::timestamp t) {
  return t.time_since_epoch().count();
}

/// The query of a `history` request (the channel adds its epoch and the page's byte bound).
history_query to_query(const protocol::history_request& req);

/// The `history` reply carrying `page`: the same text for a WebSocket client (with its
/// request's `id`) and for GET /api/history (without).
std::string encode_history(const protocol::correlation_id& id, protocol::channel target,
                           const history_page& page);

} // namespace rtd
