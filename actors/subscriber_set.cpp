#include "actors/subscriber_set.hpp"

namespace rtd {

bool subscriber_set::add(const caf::actor_addr& who, frame_sink_ptr sink) {
  auto [it, added] = members_.emplace(who, sink);
  if (!added)
    return false;
  auto& b = batches_[&sink->group()];
  b.index.emplace(sink.get(), b.sinks.size());
  b.sinks.push_back(std::move(sink));
  b.snapshot.reset();
  return true;
}

bool subscriber_set::remove(const caf::actor_addr& who) {
  auto member = members_.find(who);
  if (member == members_.end())
    return false;
  auto sink = std::move(member->second);
  members_.erase(member);
  auto group = batches_.find(&sink->group());
  auto& b = group->second;
  auto position = b.index.at(sink.get());
  b.index.erase(sink.get());
  if (position != b.sinks.size() - 1) {
    b.sinks[position] = std::move(b.sinks.back());
    b.index[b.sinks[position].get()] = position;
  }
  b.sinks.pop_back();
  b.snapshot.reset();
  if (b.sinks.empty())
    batches_.erase(group); // the group may go away with its last connection
  return true;
}

void subscriber_set::deliver(const frame& f) {
  for (auto& [group, b] : batches_) {
    if (!b.snapshot)
      b.snapshot = std::make_shared<const std::vector<frame_sink_ptr>>(b.sinks);
    group->deliver(f, b.snapshot);
  }
}

} // namespace rtd
