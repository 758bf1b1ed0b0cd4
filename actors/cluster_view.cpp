#include "actors/cluster.hpp"

namespace rtd {

namespace {

std::uint64_t connections(const cluster_state& st) {
  return st.links.traffic ? st.links.traffic->connections_active.load(std::memory_order_relaxed)
                          : 0;
}

std::vector<std::string> up_addresses(const cluster_state& st) {
  std::vector<std::string> out;
  for (const auto& [address, p] : st.peers)
    if (p.up)
      out.push_back(address);
  return out;
}

} // namespace

member_hello make_hello(const cluster_state& st) {
  auto h = st.local;
  h.connections = connections(st);
  h.members = up_addresses(st);
  h.channels = st.links.channels;
  return h;
}

cluster_view make_view(const cluster_state& st) {
  cluster_view v;
  v.local = st.local.name;
  v.joined = st.joined;
  v.members.push_back({st.local.name, st.local.address, st.local.started, true, false, true,
                       connections(st), st.links.channels});
  for (const auto& [address, p] : st.peers)
    if (!p.hello.name.empty())
      v.members.push_back({p.hello.name, address, p.hello.started, p.up, false, false,
                           p.up ? p.hello.connections : 0,
                           p.up ? p.hello.channels : std::vector<caf::strong_actor_ptr>{}});
  choose_leader(v);
  return v;
}

std::string incompatibility(const cluster_state& st, const member_hello& h) {
  if (h.protocol_version != protocol::version || h.cluster_version != cluster_protocol_version)
    return "it speaks protocol " + std::to_string(h.protocol_version) + " and cluster protocol " +
           std::to_string(h.cluster_version) + ", this node " + std::to_string(protocol::version) +
           " and " + std::to_string(cluster_protocol_version);
  if (h.address.empty())
    return "it has not started yet";
  if (h.name == st.local.name)
    return "its name " + h.name + " is this node's";
  for (const auto& [address, p] : st.peers)
    if (p.up && address != h.address && p.hello.name == h.name)
      return "its name " + h.name + " is taken by the member at " + address;
  return {};
}

} // namespace rtd
