// A channel's most recent publications, kept so that a reconnecting client can recover what
// it missed. Bounded in entries and in bytes; the oldest entry gives way.
#pragma once

#include "actors/frame.hpp"
#include "protocol/timestamp.hpp"

#include <cstdint>
#include <deque>

namespace rtd {

class publication_ring {
public:
  struct entry {
    std::uint64_t seq = 0;
    protocol::timestamp time;
    frame text;
  };

  /// `max_entries` 0 keeps nothing: every recovery is then incomplete.
  explicit publication_ring(std::size_t max_entries, std::size_t max_bytes = SIZE_MAX)
      : max_entries_(max_entries), max_bytes_(max_bytes) {}

  /// Appends a publication; seqs must increase by one per push.
  void push(entry e);

  /// Forgets every entry (the sequence restarts, or skipped ahead).
  void clear() {
    entries_.clear();
    bytes_ = 0;
  }

  std::size_t size() const { return entries_.size(); }
  std::size_t bytes() const { return bytes_; }

  /// The newest entry, or null when empty.
  const entry* latest() const { return entries_.empty() ? nullptr : &entries_.back(); }

  /// The oldest seq held, 0 when empty.
  std::uint64_t oldest_seq() const { return entries_.empty() ? 0 : entries_.front().seq; }

  /// The entry of `seq`, or null when the ring does not hold it.
  const entry* find(std::uint64_t seq) const {
    if (entries_.empty() || seq < entries_.front().seq || seq > entries_.back().seq)
      return nullptr;
    return &entries_[seq - entries_.front().seq];
  }

  /// True when every publication after `since_seq` up to `last_seq` (the channel's current
  /// seq) is still held, so a recovery from `since_seq` would be gap-free.
  bool covers(std::uint64_t since_seq, std::uint64_t last_seq) const;

  /// Calls `f(entry)` for each held entry with seq > `since_seq`, oldest first.
  template <class F> void for_each_after(std::uint64_t since_seq, F&& f) const {
    auto first = entries_.empty() || since_seq < entries_.front().seq
                     ? 0
                     : since_seq - entries_.front().seq + 1;
    for (auto i = first; i < entries_.size(); ++i)
      f(entries_[i]);
  }

private:
  std::size_t max_entries_;
  std::size_t max_bytes_;
  std::deque<entry> entries_;
  std::size_t bytes_ = 0;
};

} // namespace rtd
