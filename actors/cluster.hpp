// The cluster actor, one per node. The node publishes it on --cluster-port; it reaches the
// --join addresses and every member they name (a full mesh of CAF middleman links), checks
// versions at join, watches each member through a CAF monitor (the middleman's heartbeat and
// connection timeout bound how long a killed or hung member goes unnoticed), retries lost
// members with backoff, and names the leader: the oldest live member (see is_senior). Every
// change becomes a new view for the node's listeners and, on the leader only (so that the
// cluster publishes it once), a `cluster` notification.
#pragma once

#include "actors/interfaces.hpp"
#include "actors/traffic_counters.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace rtd {

struct cluster_config {
  std::string host = "127.0.0.1"; ///< the cluster port binds it, and members reach this node at it
  std::uint16_t port = 0;         ///< 0: not clustered, the node runs alone
  std::vector<std::string> join;  ///< host:port of members to join
  /// A member silent this long is down (CAF's connection timeout; heartbeats at a quarter of
  /// it); connects and joins give up after twice this.
  std::chrono::milliseconds timeout{2000};
  std::string tls_cert;     ///< PEM chain: with tls_key and tls_ca, node links use TLS
  std::string tls_key;      ///< PEM private key of tls_cert
  std::string tls_ca;       ///< PEM CA certificates a peer's certificate must chain to
  std::string node;         ///< this node's name (the server options fill it in)
  std::int64_t started = 0; ///< seniority, ns since the Unix epoch; 0: when spawned
  std::chrono::milliseconds retry_min{200};        ///< first retry after a failure or a loss
  std::chrono::milliseconds retry_max{5000};       ///< retries back off, doubling, up to this
  std::chrono::milliseconds report_interval{1000}; ///< figures sent to every member
};

/// Whether the node takes part in a cluster at all.
inline bool clustered(const cluster_config& c) {
  return c.port != 0;
}

/// What the cluster actor works with besides its config.
struct cluster_links {
  connector_actor connector;                       ///< CAF's middleman (or its TLS twin)
  notifier_actor notifier;                         ///< null: no notifications
  std::shared_ptr<const traffic_counters> traffic; ///< null: reports 0 connections
  std::shared_ptr<std::atomic<bool>> ready;        ///< set once joined (GET /ready); may be null
  std::vector<caf::strong_actor_ptr> channels;     ///< this node's, told to every member
  /// This node's calculation service: told to members, and sent a view after each report of
  /// a member's load (besides the views it gets as a listener).
  caf::strong_actor_ptr calculations;
  /// Calculations running on this node, reported to every member; null: reports 0.
  std::shared_ptr<const std::atomic<std::uint64_t>> calculations_running;
};

/// A member at one address, as this node knows it.
struct cluster_peer {
  member_hello hello;        ///< what it said at its last join; name empty: never met
  cluster_peer_actor handle; ///< while up
  bool up = false;
  bool connecting = false;
  std::chrono::milliseconds backoff{0}; ///< before the next retry
  std::string failure;                  ///< the last failure logged: a streak logs once
};

struct cluster_state {
  static inline const char* name = "cluster";

  cluster_config config;
  cluster_links links;
  member_hello local;                        ///< this node; its address once published
  std::map<std::string, cluster_peer> peers; ///< by host:port, this node excluded
  std::vector<cluster_listener_actor> listeners;
  std::set<std::string> peer_interface;       ///< what a peer's published actor must offer
  std::map<std::string, std::string> refused; ///< the last refusal logged, per address
  std::string leader;                         ///< as last told
  bool joined = false;
};

/// This node's hello: itself, its connections now and the members it has up.
member_hello make_hello(const cluster_state& st);

/// The membership as this node sees it, the leader chosen.
cluster_view make_view(const cluster_state& st);

/// Why the node that introduced itself with `h` cannot be a member (another version, no
/// address yet, a name already taken), or an empty string.
std::string incompatibility(const cluster_state& st, const member_hello& h);

/// A node alone (no --join) is joined at once; otherwise once it has met a member, or found
/// every --join address to be its own.
cluster_actor::behavior_type cluster(cluster_actor::stateful_pointer<cluster_state> self,
                                     cluster_config config, cluster_links links);

} // namespace rtd
