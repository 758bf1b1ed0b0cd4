// A connection's frames waiting to be written: in order, bounded in frames and bytes. On a
// latest-value channel, a live publication still waiting gives way to a newer one of the same
// channel, in its place (conflation: the client reads slower than the channel publishes); the
// one written says how many it replaced or the lane skipped ("skipped"). Lane thread only.
#pragma once

#include "actors/frame.hpp"

#include <array>
#include <cstddef>
#include <vector>

#include <sys/uio.h>

namespace rtd {

class outbound_queue {
public:
  outbound_queue(std::size_t max_frames, std::size_t max_bytes)
      : max_frames_(max_frames), max_bytes_(max_bytes) {}

  enum class push_result { queued, replaced, overflow };

  /// Queues `item`; on overflow the queue is left as it was.
  push_result push(const outbound& item);

  /// Points up to `max` buffers at the bytes to write next, oldest first; returns how many.
  /// Frames handed out are final: a newer publication no longer replaces them.
  std::size_t gather(iovec* out, std::size_t max);

  /// The first `n` bytes of what gather() pointed at were written; returns how many frames
  /// that completed.
  std::size_t consume(std::size_t n);

  /// Drops everything queued.
  void clear();

  bool empty() const { return head_ == entries_.size(); }
  std::size_t frames() const { return entries_.size() - head_; }
  std::size_t bytes() const { return bytes_; }

private:
  static constexpr std::size_t channels = 6;
  using slot = std::uint32_t;
  static constexpr slot none = static_cast<slot>(-1);

  struct entry {
    outbound item;
    bool final = false;
  };

  /// Fixes what `e` will say: its `skipped` count, and what the client has seen since.
  void finalize(entry& e);
  void compact();

  std::size_t max_frames_;
  std::size_t max_bytes_;
  std::vector<entry> entries_;
  std::size_t head_ = 0;   ///< first entry not completely written
  std::size_t offset_ = 0; ///< bytes of it already written
  std::size_t bytes_ = 0;  ///< bytes not yet written
  /// Per channel: index of the queued publication a newer one would replace, or none.
  std::array<slot, channels> replaceable_ = [] {
    std::array<slot, channels> a{};
    a.fill(none);
    return a;
  }();
  /// Per channel: seq of the last publication (or ack) finalized, 0 when none.
  std::array<std::uint64_t, channels> last_seq_{};
};

} // namespace rtd
