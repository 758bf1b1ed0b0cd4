#include "actors/publication_ring.hpp"

namespace rtd {

publication_ring::publication_ring(std::size_t capacity) : slots_(capacity) {}

void publication_ring::push(entry e) {
  if (slots_.empty())
    return;
  if (size_ < slots_.size()) {
    slots_[(head_ + size_) % slots_.size()] = std::move(e);
    ++size_;
  } else {
    slots_[head_] = std::move(e);
    head_ = (head_ + 1) % slots_.size();
  }
}

const publication_ring::entry* publication_ring::latest() const {
  return size_ == 0 ? nullptr : &at(size_ - 1);
}

bool publication_ring::covers(std::uint64_t since_seq, std::uint64_t last_seq) const {
  if (since_seq > last_seq)
    return false; // the client claims publications this epoch never had
  if (since_seq == last_seq)
    return true; // nothing missed
  return size_ > 0 && at(0).seq <= since_seq + 1;
}

} // namespace rtd
