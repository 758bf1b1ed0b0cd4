#include "gateway/outbound_queue.hpp"

namespace rtd {

outbound_queue::push_result outbound_queue::push(const outbound& item) {
  const auto size = item.data->size();
  if (item.channel >= 0) {
    auto& slot = replaceable_[static_cast<std::size_t>(item.channel) % channels];
    if (item.conflatable && slot != none) {
      auto& old = entries_[slot].item;
      if (bytes_ - old.data->size() + size > max_bytes_)
        return push_result::overflow;
      bytes_ = bytes_ - old.data->size() + size;
      old = item;
      return push_result::replaced;
    }
    // Nothing is replaced across an ack or a frame that must be delivered.
    slot = none;
  }
  if (frames() + 1 > max_frames_ || bytes_ + size > max_bytes_)
    return push_result::overflow;
  if (item.conflatable)
    replaceable_[static_cast<std::size_t>(item.channel) % channels] =
        static_cast<slot>(entries_.size());
  entries_.push_back({item});
  bytes_ += size;
  return push_result::queued;
}

void outbound_queue::finalize(entry& e) {
  e.final = true;
  auto& item = e.item;
  if (item.channel < 0)
    return;
  const auto ch = static_cast<std::size_t>(item.channel) % channels;
  if (item.conflatable) {
    if (replaceable_[ch] == static_cast<slot>(&e - entries_.data()))
      replaceable_[ch] = none;
    const auto last = last_seq_[ch];
    if (last != 0 && item.seq > last + 1) {
      bytes_ -= item.data->size();
      item.data = with_skipped(*item.data, item.seq - last - 1);
      bytes_ += item.data->size();
    }
  }
  last_seq_[ch] = item.seq;
}

std::size_t outbound_queue::gather(iovec* out, std::size_t max) {
  std::size_t n = 0;
  for (auto i = head_; i < entries_.size() && n < max; ++i, ++n) {
    auto& e = entries_[i];
    if (!e.final)
      finalize(e);
    auto bytes = e.item.data->bytes();
    const auto skip = i == head_ ? offset_ : 0;
    out[n].iov_base = const_cast<char*>(bytes.data() + skip);
    out[n].iov_len = bytes.size() - skip;
  }
  return n;
}

std::size_t outbound_queue::consume(std::size_t n) {
  bytes_ -= n;
  std::size_t done = 0;
  while (n > 0) {
    auto rest = entries_[head_].item.data->size() - offset_;
    if (n < rest) {
      offset_ += n;
      break;
    }
    n -= rest;
    entries_[head_].item.data.reset();
    ++head_;
    ++done;
    offset_ = 0;
  }
  compact();
  return done;
}

void outbound_queue::compact() {
  if (head_ == entries_.size()) {
    entries_.clear();
    head_ = 0;
    // A queue that once backed up gives its memory back once drained.
    if (entries_.capacity() > 16)
      std::vector<entry>{}.swap(entries_);
  } else if (head_ >= 64 && head_ * 2 >= entries_.size()) {
    entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(head_));
    for (auto& index : replaceable_)
      if (index != none)
        index -= static_cast<slot>(head_);
    head_ = 0;
  }
}

void outbound_queue::clear() {
  std::vector<entry>{}.swap(entries_);
  head_ = offset_ = bytes_ = 0;
  replaceable_.fill(none);
}

} // namespace rtd
