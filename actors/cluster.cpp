#include "actors/cluster.hpp"

#include "log/log.hpp"

#include <caf/all.hpp>

#include <algorithm>

namespace rtd {

namespace {

using self_pointer = cluster_actor::stateful_pointer<cluster_state>;
using level = protocol::notification_level;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// Why a connect or a join failed, and whether the peer is incompatible rather than away.
struct failure {
  std::string why;
  bool refused = false;
};

failure describe(self_pointer self, const caf::error& err) {
  if (err == caf::sec::incompatible_application_ids)
    return {"its middleman.app-identifiers share none with this node's (another application?)",
            true};
  if (err == caf::sec::cannot_connect_to_node)
    return {"nothing listens there (not running?)"};
  if (err == caf::sec::connection_timeout || err == caf::sec::request_timeout)
    return {"no answer within the cluster timeout (hung or cut off?)"};
  return {self->home_system().render(err)};
}

void notify(self_pointer self, level l, std::string text) {
  if (self->state.links.notifier)
    self->send(self->state.links.notifier,
               protocol::notification{protocol::notification_category::cluster, l, std::move(text),
                                      std::nullopt});
}

/// Tells everyone about a change: a notification, a log line, every listener's new view.
void changed(self_pointer self, const std::string& event, level l) {
  auto& st = self->state;
  auto view = make_view(st);
  auto up = std::count_if(view.members.begin(), view.members.end(),
                          [](const member_view& m) { return m.up; });
  auto text = event + "; " + std::to_string(up) + " of " + std::to_string(view.members.size()) +
              " members up, leader " + view.leader;
  log::write(l == level::warning ? spdlog::level::warn : spdlog::level::info, "cluster_member",
             text, {{"leader", view.leader}});
  std::string news;
  if (view.leader != st.leader) {
    auto was = std::exchange(st.leader, view.leader);
    news = "cluster leader is now " + view.leader + " (was " + was + ")";
    log::info("cluster_leader", news, {{"leader", view.leader}});
  }
  // The views first: the channels know the leader before these notifications reach them.
  for (const auto& listener : st.listeners)
    self->send(listener, view);
  if (view.leader != view.local)
    return; // the leader's notification reaches every node through its channel
  notify(self, l, std::move(text));
  if (!news.empty())
    notify(self, level::warning, std::move(news));
}

void mark_joined(self_pointer self) {
  auto& st = self->state;
  st.joined = true;
  if (st.links.ready)
    st.links.ready->store(true);
}

/// A node whose every --join address turned out to be its own has nobody to wait for.
void joined_if_alone(self_pointer self) {
  if (self->state.peers.empty() && !self->state.joined)
    mark_joined(self);
}

void retry_later(self_pointer self, const std::string& address, bool refused = false) {
  auto& p = self->state.peers[address];
  const auto& c = self->state.config;
  if (refused)
    p.backoff = c.retry_max; // an incompatible node is unlikely to change soon
  else
    p.backoff = p.backoff.count() == 0 ? c.retry_min : std::min(2 * p.backoff, c.retry_max);
  self->delayed_send(self, p.backoff, caf::connect_atom::value, address);
}

/// A connect or a join to `address` failed; retried with backoff, logged once per streak.
void failed(self_pointer self, const std::string& address, const failure& f) {
  const auto& [why, refused] = f;
  auto i = self->state.peers.find(address);
  if (i == self->state.peers.end() || i->second.up)
    return; // it joined meanwhile, through the other direction
  auto& p = i->second;
  p.connecting = false;
  if (p.failure != why) {
    p.failure = why;
    if (refused)
      log::error("cluster_refused",
                 "the member at " + address + " and this node cannot form a cluster: " + why,
                 {{"address", address}});
    else
      log::warn("cluster_unreachable", "cannot reach the member at " + address + ": " + why,
                {{"address", address}});
  }
  retry_later(self, address, refused);
}

void connect(self_pointer self, const std::string& address);

/// Adds every address this node does not know yet, and reaches for it.
void learn(self_pointer self, std::vector<std::string> addresses) {
  auto& st = self->state;
  for (const auto& a : addresses)
    if (a != st.local.address && st.peers.count(a) == 0) {
      st.peers[a];
      connect(self, a);
    }
}

/// `hello`'s node, reached at `reached` (its address or another name for it), is a member.
void admit(self_pointer self, const std::string& reached, cluster_peer_actor handle,
           member_hello hello) {
  auto& st = self->state;
  auto address = hello.address;
  if (reached != address)
    st.peers.erase(reached);
  auto& p = st.peers[address];
  const bool again = p.up && p.hello.started == hello.started;
  const bool restarted = !p.hello.name.empty() && p.hello.started != hello.started;
  if (!again) {
    if (p.handle)
      self->demonitor(p.handle.address());
    self->monitor(handle);
  }
  p.hello = std::move(hello);
  p.handle = std::move(handle);
  p.up = true;
  p.connecting = false;
  p.backoff = std::chrono::milliseconds{0};
  p.failure.clear();
  learn(self, p.hello.members);
  if (again)
    return;
  if (!st.joined) {
    mark_joined(self);
    st.leader = make_view(st).leader; // a node that just joined has no leader to replace
  }
  changed(self,
          "node " + p.hello.name + " (" + address + ") " +
              (restarted ? "rejoined as a new member" : "is up"),
          level::info);
}

void connected(self_pointer self, const std::string& address, caf::strong_actor_ptr ptr,
               const std::set<std::string>& interface) {
  auto& st = self->state;
  if (!ptr)
    return failed(self, address, {"no actor is published there"});
  if (ptr.get() == self->ctrl()) {
    st.peers.erase(address); // this node, under another name
    joined_if_alone(self);
    return;
  }
  if (!self->home_system().assignable(interface, st.peer_interface))
    return failed(self, address,
                  {"its cluster interface differs from this node's (another rtd version?)", true});
  auto peer = caf::actor_cast<cluster_peer_actor>(std::move(ptr));
  self->request(peer, 2 * st.config.timeout, caf::join_atom::value, make_hello(st))
      .then(
          [self, address, peer](join_answer& answer) {
            if (!answer.accepted)
              return failed(self, address, {"it refused this node: " + answer.reason, true});
            if (auto why = incompatibility(self->state, answer.peer); !why.empty())
              return failed(self, address, {why, true});
            admit(self, address, peer, std::move(answer.peer));
          },
          [self, address](caf::error& err) { failed(self, address, describe(self, err)); });
}

void connect(self_pointer self, const std::string& address) {
  auto& st = self->state;
  auto i = st.peers.find(address);
  if (i == st.peers.end() || i->second.up || i->second.connecting)
    return;
  auto target = parse_address(address);
  if (!target) {
    log::error("cluster_bad_address", "ignoring member address " + address + ": not host:port");
    st.peers.erase(i);
    return;
  }
  i->second.connecting = true;
  self->request(st.links.connector, 2 * st.config.timeout, caf::connect_atom::value, target->host,
                target->port)
      .then(
          [self, address](caf::node_id&, caf::strong_actor_ptr& ptr, std::set<std::string>& ifs) {
            connected(self, address, std::move(ptr), ifs);
          },
          [self, address](caf::error& err) { failed(self, address, describe(self, err)); });
}

/// A node that lost every member (it was hung or cut off, or they all went) counts as new
/// from now on: when it meets the others again it is the youngest, so a node that resumes
/// after a hang does not take the leadership back from the one that took over.
void start_afresh(self_pointer self) {
  auto& st = self->state;
  st.local.started = std::max(now_ns(), st.local.started + 1);
  log::info("cluster_alone", "this node lost every member; it rejoins as the youngest");
}

std::string why_down(self_pointer self, const caf::down_msg& dm) {
  if (dm.reason == caf::exit_reason::remote_link_unreachable)
    return "its link closed or went silent";
  if (dm.reason == caf::exit_reason::user_shutdown || !dm.reason)
    return "it stopped";
  return self->home_system().render(dm.reason);
}

void lost(self_pointer self, const caf::down_msg& dm) {
  auto& st = self->state;
  st.listeners.erase(std::remove_if(st.listeners.begin(), st.listeners.end(),
                                    [&](const auto& l) { return l.address() == dm.source; }),
                     st.listeners.end());
  for (auto& [address, p] : st.peers) {
    if (!p.up || p.handle.address() != dm.source)
      continue;
    p.up = false;
    p.handle = nullptr;
    changed(self, "node " + p.hello.name + " (" + address + ") is down: " + why_down(self, dm),
            level::warning);
    retry_later(self, address);
    if (make_hello(st).members.empty())
      start_afresh(self);
    return;
  }
}

} // namespace

cluster_actor::behavior_type cluster(self_pointer self, cluster_config config,
                                     cluster_links links) {
  auto& st = self->state;
  st.local.name = config.node;
  st.local.started = config.started != 0 ? config.started : now_ns();
  st.config = std::move(config);
  st.links = std::move(links);
  st.leader = st.local.name;
  st.peer_interface = self->home_system().message_types<cluster_peer_actor>();
  if (st.config.join.empty())
    mark_joined(self);
  self->set_down_handler([self](caf::down_msg& dm) { lost(self, dm); });
  return {
      [self](caf::join_atom, member_hello& hello) -> join_answer {
        auto& st = self->state;
        if (st.local.address.empty())
          return {false, "it has not started yet", make_hello(st)};
        if (auto why = incompatibility(st, hello); !why.empty()) {
          if (std::exchange(st.refused[hello.address], why) != why)
            log::error("cluster_refused",
                       "refused node " + hello.name + " at " + hello.address + ": " + why,
                       {{"address", hello.address}});
          return {false, why, make_hello(st)};
        }
        st.refused.erase(hello.address);
        auto address = hello.address;
        admit(self, address, caf::actor_cast<cluster_peer_actor>(self->current_sender()),
              std::move(hello));
        return {true, {}, make_hello(st)};
      },
      [self](member_load& load) {
        auto i = self->state.peers.find(load.address);
        if (i == self->state.peers.end() || !i->second.up)
          return;
        i->second.hello.connections = load.connections;
        i->second.hello.calculations_running = load.calculations_running;
        learn(self, std::move(load.members));
        // The service picks workers by load: it gets every report, not only membership changes.
        if (auto service = caf::actor_cast<cluster_listener_actor>(self->state.links.calculations))
          self->send(service, make_view(self->state));
      },
      [self](caf::publish_atom, std::uint16_t port) {
        auto& st = self->state;
        st.local.address = format_address(st.config.host, port);
        log::info("cluster_started", "cluster member " + st.local.name + " at " + st.local.address,
                  {{"address", st.local.address}});
        learn(self, st.config.join);
        joined_if_alone(self);
        self->delayed_send(self, st.config.report_interval, caf::tick_atom::value);
      },
      [self](caf::get_atom) { return make_view(self->state); },
      [self](caf::join_atom, cluster_listener_actor& listener) {
        self->monitor(listener);
        self->state.listeners.push_back(listener);
        self->send(listener, make_view(self->state));
      },
      [self](caf::connect_atom, std::string& address) { connect(self, address); },
      [self](caf::tick_atom) {
        auto& st = self->state;
        auto hello = make_hello(st);
        member_load load{hello.address, hello.connections, std::move(hello.members),
                         hello.calculations_running};
        for (const auto& [address, p] : st.peers)
          if (p.up)
            self->send(p.handle, load);
        self->delayed_send(self, st.config.report_interval, caf::tick_atom::value);
      },
  };
}

} // namespace rtd
