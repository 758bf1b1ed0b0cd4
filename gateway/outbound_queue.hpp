// A connection's outbound frames: bounded in frames and bytes, in order. Frames taken for
// writing still count against the bound until released, so memory stays bounded even when a
// write never completes.
#pragma once

#include "actors/frame_sink.hpp"

#include <cstddef>
#include <vector>

namespace rtd {

class outbound_queue {
public:
  outbound_queue(std::size_t max_frames, std::size_t max_bytes)
      : max_frames_(max_frames), max_bytes_(max_bytes) {}

  /// Appends `f`, or returns false (leaving the queue as it was) when that would exceed a bound.
  bool push(frame f);

  /// Moves every queued frame, oldest first, into `out` (which must be empty); they stay
  /// counted until `release`.
  void take(std::vector<frame>& out);

  /// Ends the accounting of frames previously taken.
  void release(std::size_t frames, std::size_t bytes);

  /// Drops every queued frame (taken ones stay counted until released).
  void clear();

  bool empty() const { return queued_.empty(); }
  std::size_t frames() const { return frames_; }
  std::size_t bytes() const { return bytes_; }

private:
  std::size_t max_frames_;
  std::size_t max_bytes_;
  std::vector<frame> queued_;
  std::size_t frames_ = 0; ///< queued plus taken-but-unreleased
  std::size_t bytes_ = 0;
};

} // namespace rtd
