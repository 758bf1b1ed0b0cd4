// A channel's subscribers: who they are (by session) and where their frames go, grouped by
// delivery lane so that a publication costs one hop per I/O thread, not one per subscriber.
#pragma once

#include "actors/frame_sink.hpp"

#include <caf/actor_addr.hpp>

#include <unordered_map>
#include <vector>

namespace rtd {

class subscriber_set {
public:
  /// Adds `who` with its sink; false when it was already there (its mode is then updated).
  bool add(const caf::actor_addr& who, frame_sink_ptr sink, bool conflate);

  /// Removes `who`; false when it was not there.
  bool remove(const caf::actor_addr& who);

  bool contains(const caf::actor_addr& who) const { return members_.count(who) > 0; }
  /// Counts the changes of the members: an ack carries it (outbound::membership).
  std::uint64_t generation() const { return generation_; }
  std::size_t size() const { return members_.size(); }

  /// Hands publication `item` to every subscriber, one delivery per lane (see
  /// delivery_lane::publish for `number`).
  void publish(const outbound& item, std::uint64_t number);

private:
  struct member {
    frame_sink_ptr sink;
    bool conflate;
  };

  /// Who each lane serves, rebuilt lazily once per change of the members: deliveries share it.
  void rebuild();

  std::unordered_map<caf::actor_addr, member> members_; ///< one entry per subscriber
  std::vector<std::pair<delivery_lane*, std::shared_ptr<const audience>>> audiences_;
  std::uint64_t generation_ = 1; ///< counts the changes of the members
  std::uint64_t built_ = 0;      ///< the generation `audiences_` were built from
};

} // namespace rtd
