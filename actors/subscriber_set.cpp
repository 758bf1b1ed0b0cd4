#include "actors/subscriber_set.hpp"

namespace rtd {

bool subscriber_set::add(const caf::actor_addr& who, frame_sink_ptr sink, bool conflate) {
  auto [it, added] = members_.emplace(who, member{sink, conflate});
  if (!added && it->second.conflate == conflate)
    return false;
  it->second.conflate = conflate;
  auto& lane = lanes_[&sink->lane()];
  const auto* key = sink.get();
  lane.sinks[key] = member{std::move(sink), conflate};
  lane.snapshot.reset();
  return added;
}

bool subscriber_set::remove(const caf::actor_addr& who) {
  auto found = members_.find(who);
  if (found == members_.end())
    return false;
  auto sink = std::move(found->second.sink);
  members_.erase(found);
  auto lane = lanes_.find(&sink->lane());
  lane->second.sinks.erase(sink.get());
  lane->second.snapshot.reset();
  if (lane->second.sinks.empty())
    lanes_.erase(lane); // the lane may go away with its last connection
  return true;
}

void subscriber_set::publish(const outbound& item, std::uint64_t number) {
  for (auto& [lane, m] : lanes_) {
    if (!m.snapshot) {
      auto a = std::make_shared<audience>();
      for (const auto& [key, sub] : m.sinks)
        (sub.conflate ? a->conflating : a->strict).push_back(sub.sink);
      m.snapshot = std::move(a);
    }
    lane->publish(item, number, m.snapshot);
  }
}

} // namespace rtd
