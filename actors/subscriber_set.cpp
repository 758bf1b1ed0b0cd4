#include "actors/subscriber_set.hpp"

#include <algorithm>

namespace rtd {

bool subscriber_set::add(const caf::actor_addr& who, frame_sink_ptr sink, bool conflate) {
  auto [it, added] = members_.emplace(who, member{std::move(sink), conflate});
  if (!added && it->second.conflate == conflate)
    return false;
  it->second.conflate = conflate;
  ++generation_;
  return added;
}

bool subscriber_set::remove(const caf::actor_addr& who) {
  if (members_.erase(who) == 0)
    return false;
  ++generation_;
  return true;
}

void subscriber_set::rebuild() {
  std::vector<std::pair<delivery_lane*, std::shared_ptr<audience>>> lanes;
  for (const auto& [who, m] : members_) {
    auto* lane = &m.sink->lane();
    auto it =
        std::find_if(lanes.begin(), lanes.end(), [&](const auto& l) { return l.first == lane; });
    if (it == lanes.end())
      it = lanes.insert(lanes.end(), {lane, std::make_shared<audience>()});
    (m.conflate ? it->second->conflating : it->second->strict).push_back(m.sink);
  }
  for (auto& [lane, to] : lanes)
    to->generation = generation_;
  audiences_.assign(lanes.begin(), lanes.end());
  built_ = generation_;
}

void subscriber_set::publish(const outbound& item, std::uint64_t number) {
  if (built_ != generation_)
    rebuild();
  for (const auto& [lane, to] : audiences_)
    lane->publish(item, number, to);
}

} // namespace rtd
