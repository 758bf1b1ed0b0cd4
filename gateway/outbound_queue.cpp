#include "gateway/outbound_queue.hpp"

namespace rtd {

bool outbound_queue::push(frame f) {
  if (frames_ + 1 > max_frames_ || bytes_ + f->size() > max_bytes_)
    return false;
  ++frames_;
  bytes_ += f->size();
  queued_.push_back(std::move(f));
  return true;
}

void outbound_queue::take(std::vector<frame>& out) {
  out.swap(queued_);
}

void outbound_queue::release(std::size_t frames, std::size_t bytes) {
  frames_ -= frames;
  bytes_ -= bytes;
}

void outbound_queue::clear() {
  for (const auto& f : queued_)
    release(1, f->size());
  queued_.clear();
}

} // namespace rtd
