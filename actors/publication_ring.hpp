// A channel's most recent publications, kept so that a reconnecting client can recover what
// it missed. Fixed capacity; the oldest entry gives way.
#pragma once

#include "actors/frame_sink.hpp"
#include "protocol/timestamp.hpp"

#include <cstdint>
#include <vector>

namespace rtd {

class publication_ring {
public:
  struct entry {
    std::uint64_t seq = 0;
    protocol::timestamp time;
    frame text;
  };

  /// `capacity` 0 keeps nothing: every recovery is then incomplete.
  explicit publication_ring(std::size_t capacity);

  /// Appends a publication; seqs must increase by one per push.
  void push(entry e);

  std::size_t size() const { return size_; }
  std::size_t capacity() const { return slots_.size(); }

  /// The newest entry, or null when empty.
  const entry* latest() const;

  /// True when every publication after `since_seq` up to `last_seq` (the channel's current
  /// seq) is still held, so a recovery from `since_seq` would be gap-free.
  bool covers(std::uint64_t since_seq, std::uint64_t last_seq) const;

  /// Calls `f(entry)` for each held entry with seq > `since_seq`, oldest first.
  template <class F> void for_each_after(std::uint64_t since_seq, F&& f) const {
    for (std::size_t i = 0; i < size_; ++i) {
      const auto& e = at(i);
      if (e.seq > since_seq)
        f(e);
    }
  }

private:
  /// The i-th oldest entry.
  const entry& at(std::size_t i) const { return slots_[(head_ + i) % slots_.size()]; }

  std::vector<entry> slots_;
  std::size_t head_ = 0; ///< index of the oldest entry
  std::size_t size_ = 0;
};

} // namespace rtd
