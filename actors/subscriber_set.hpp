// A channel's subscribers: who they are (by session) and where their frames go, grouped by
// delivery group so that a publication costs one hop per I/O thread, not one per subscriber.
#pragma once

#include "actors/frame_sink.hpp"

#include <caf/actor_addr.hpp>

#include <unordered_map>
#include <vector>

namespace rtd {

class subscriber_set {
public:
  /// Adds `who` with its sink; false when it was already there.
  bool add(const caf::actor_addr& who, frame_sink_ptr sink);

  /// Removes `who`; false when it was not there.
  bool remove(const caf::actor_addr& who);

  bool contains(const caf::actor_addr& who) const { return members_.count(who) > 0; }
  std::size_t size() const { return members_.size(); }

  /// Hands `f` to every subscriber, one delivery per group.
  void deliver(const frame& f);

private:
  struct batch {
    std::vector<frame_sink_ptr> sinks;
    std::unordered_map<const frame_sink*, std::size_t> index; ///< position in `sinks`
    /// What deliveries share until the members change; rebuilt lazily, once per change.
    std::shared_ptr<const std::vector<frame_sink_ptr>> snapshot;
  };

  std::unordered_map<caf::actor_addr, frame_sink_ptr> members_;
  std::unordered_map<delivery_group*, batch> batches_;
};

} // namespace rtd
