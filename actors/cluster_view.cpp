#include "actors/cluster.hpp"

namespace rtd {

namespace {

std::uint64_t connections(const cluster_state& st) {
  return st.links.traffic ? st.links.traffic->connections_active.load(std::memory_order_relaxed)
                          : 0;
}

std::uint64_t calculations_running(const cluster_state& st) {
  return st.links.calculations_running
             ? st.links.calculations_running->load(std::memory_order_relaxed)
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
  h.calculations = st.links.calculations;
  h.calculations_running = calculations_running(st);
  return h;
}

cluster_view make_view(const cluster_state& st) {
  cluster_view v;
  v.local = st.local.name;
  v.joined = st.joined;
  v.members.push_back({st.local.name, st.local.address, st.local.started, true, false, true,
                       connections(st), st.links.channels, st.links.calculations,
                       calculations_running(st)});
  for (const auto& [address, p] : st.peers)
    if (!p.hello.name.empty()) {
      member_view m{p.hello.name, address, p.hello.started, p.up, false, false, 0, {}, {}, 0};
      if (p.up) {
        m.connections = p.hello.connections;
        m.channels = p.hello.channels;
        m.calculations = p.hello.calculations;
        m.calculations_running = p.hello.calculations_running;
      }
      v.members.push_back(std::move(m));
    }
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
