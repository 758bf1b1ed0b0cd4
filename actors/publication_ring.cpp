#include "actors/publication_ring.hpp"

namespace rtd {

void publication_ring::push(entry e) {
  if (max_entries_ == 0)
    return;
  bytes_ += e.text->size();
  entries_.push_back(std::move(e));
  while (entries_.size() > max_entries_ || (bytes_ > max_bytes_ && entries_.size() > 1)) {
    bytes_ -= entries_.front().text->size();
    entries_.pop_front();
  }
}

bool publication_ring::covers(std::uint64_t since_seq, std::uint64_t last_seq) const {
  if (since_seq > last_seq)
    return false; // the client claims publications this epoch never had
  if (since_seq == last_seq)
    return true; // nothing missed
  return !entries_.empty() && entries_.front().seq <= since_seq + 1;
}

} // namespace rtd
