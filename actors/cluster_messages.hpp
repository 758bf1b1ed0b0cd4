// What the cluster actors of a cluster say to each other, and the membership view a node's
// cluster actor gives the rest of the node. All of it is plain data with `inspect`, registered
// by name in type_registry.cpp, so it crosses nodes.
#pragma once

#include "actors/protocol_inspect.hpp"
#include "protocol/messages.hpp"

#include <caf/actor_control_block.hpp>
#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtd {

/// The version of the messages below. A node refuses a peer whose versions (this one and the
/// wire protocol's) differ from its own, since their members could not agree on anything.
inline constexpr std::uint32_t cluster_protocol_version = 3;

/// How a node introduces itself to a peer, both ways: in a join and in the answer.
struct member_hello {
  std::uint32_t protocol_version = protocol::version;
  std::uint32_t cluster_version = cluster_protocol_version;
  std::string name;                 ///< --node-name, unique in the cluster
  std::string address;              ///< host:port its cluster actor is published on
  std::int64_t started = 0;         ///< its start, ns since the Unix epoch: its seniority
  std::uint64_t connections = 0;    ///< its WebSocket clients now
  std::vector<std::string> members; ///< addresses of the members it has up, for the mesh
  /// Its channel actors, indexed by protocol::channel: where the leader's sequencers are and
  /// where a leader relays to.
  std::vector<caf::strong_actor_ptr> channels;
  caf::strong_actor_ptr calculations;     ///< its calculation service, which may take jobs
  std::uint64_t calculations_running = 0; ///< calculations running on it now
};

/// The answer to a join: accepted (with the peer's own hello), or refused and why.
struct join_answer {
  bool accepted = false;
  std::string reason; ///< when refused
  member_hello peer;
};

/// A member's figures and the members it has up, sent to every other member periodically
/// (so that two nodes that joined at the same moment still learn of each other).
struct member_load {
  std::string address;
  std::uint64_t connections = 0;
  std::vector<std::string> members;
  std::uint64_t calculations_running = 0;
};

/// A publication as the leader's channel numbered it, relayed once to every node's channel,
/// which delivers it and never forwards it again. Every node encodes header and body with the
/// same codec, so every node sends clients the same bytes.
struct relayed_publication {
  protocol::publication_header header;
  protocol::publication_body body;
  std::string origin;       ///< the node that made it (forwarded it to the leader)
  std::uint64_t ticket = 0; ///< the origin's, when it waits for the encoded publication
};

/// A publication made on a node that does not lead, sent to the leader's channel to be
/// numbered and relayed. With a ticket, the origin waits for its relay to answer a request
/// (an operator's POST) with the encoded publication.
struct forwarded_publication {
  protocol::publication_body body;
  std::string origin;
  std::uint64_t ticket = 0;
};

/// One member as a node sees it.
struct member_view {
  std::string name;
  std::string address;
  std::int64_t started = 0;
  bool up = false;
  bool leader = false;
  bool local = false; ///< the node that made the view
  std::uint64_t connections = 0;
  std::vector<caf::strong_actor_ptr> channels; ///< its channel actors (see member_hello)
  caf::strong_actor_ptr calculations;          ///< its calculation service
  std::uint64_t calculations_running = 0;
};

/// The membership as one node sees it: every member it has met, itself included, oldest
/// first. The leader is the oldest live one.
struct cluster_view {
  std::string local;   ///< the name of the node that made the view
  std::string leader;  ///< the leader's name
  bool joined = false; ///< false while a node started with --join has met no member
  std::vector<member_view> members;
};

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, member_hello& x) {
  return f(caf::meta::type_name("rtd::member_hello"), x.protocol_version, x.cluster_version, x.name,
           x.address, x.started, x.connections, x.members, x.channels, x.calculations,
           x.calculations_running);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, join_answer& x) {
  return f(caf::meta::type_name("rtd::join_answer"), x.accepted, x.reason, x.peer);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, member_load& x) {
  return f(caf::meta::type_name("rtd::member_load"), x.address, x.connections, x.members,
           x.calculations_running);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, relayed_publication& x) {
  return f(caf::meta::type_name("rtd::relayed_publication"), x.header, variant_field{x.body},
           x.origin, x.ticket);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, forwarded_publication& x) {
  return f(caf::meta::type_name("rtd::forwarded_publication"), variant_field{x.body}, x.origin,
           x.ticket);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, member_view& x) {
  return f(caf::meta::type_name("rtd::member_view"), x.name, x.address, x.started, x.up, x.leader,
           x.local, x.connections, x.channels, x.calculations, x.calculations_running);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, cluster_view& x) {
  return f(caf::meta::type_name("rtd::cluster_view"), x.local, x.leader, x.joined, x.members);
}

/// A member's address: where its cluster actor is published.
struct member_address {
  std::string host;
  std::uint16_t port = 0;
};

/// Parses `host:port` (an IPv6 host in brackets: `[::1]:7000`); nothing when it is not one.
std::optional<member_address> parse_address(std::string_view text);

/// The `host:port` text of an address, as members name each other.
std::string format_address(const std::string& host, std::uint16_t port);

/// Whether `a` is senior to `b`: started earlier, ties broken by name, then address. Every node
/// compares the same exchanged values, so every node picks the same leader.
bool is_senior(const member_view& a, const member_view& b);

/// Sorts `view.members` oldest first and marks the oldest live one as the leader.
void choose_leader(cluster_view& view);

} // namespace rtd
