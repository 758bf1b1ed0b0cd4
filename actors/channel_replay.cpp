#include "actors/channel_replay.hpp"

#include "log/log.hpp"
#include "protocol/codec.hpp"

#include <caf/all.hpp>

namespace rtd {

namespace {

/// A replay waits this long for the store before giving up on the client.
constexpr auto store_timeout = std::chrono::seconds(10);

std::int8_t index_of(protocol::channel c) {
  return static_cast<std::int8_t>(c);
}

/// `subscribed`, after the subscriber set changed for it (its membership: outbound).
outbound subscribed_ack(const channel_state& st, const protocol::correlation_id& id,
                        std::optional<bool> recovered) {
  auto text =
      make_frame(protocol::encode(protocol::subscribed{id, st.id, st.seq, st.epoch, recovered}));
  return {std::move(text), index_of(st.id), st.seq, false, st.subscribers.generation()};
}

/// Ack, latest value on a latest-value channel, then live publications.
void subscribe_now(channel_pointer self, const subscription& sub, bool conflate,
                   std::optional<bool> recovered) {
  auto& st = self->state;
  st.subscribers.add(sub.session.address(), sub.sink, conflate);
  count_subscribers(st);
  std::vector<outbound> items{subscribed_ack(st, sub.id, recovered)};
  if (protocol::is_latest_value(st.id))
    if (auto latest = st.recent.latest())
      items.push_back({latest->text, index_of(st.id), latest->seq});
  sub.sink->send(std::move(items));
}

replay* find(channel_state& st, const caf::actor_addr& who, std::uint64_t id) {
  auto it = st.replays.find(who);
  return it != st.replays.end() && it->second.id == id ? &it->second : nullptr;
}

/// The replay cannot continue without a gap (history moved on past it): the client was told
/// `recovered`, so it is closed and recovers afresh when it reconnects.
void abandon(channel_pointer self, const caf::actor_addr& who, const std::string& why) {
  auto& st = self->state;
  auto it = st.replays.find(who);
  log::warn("recovery_abandoned", "a subscriber's recovery could not go on: " + why,
            {{"channel", std::string{protocol::to_string(st.id)}}});
  it->second.sink->close(close_code::try_again_later, "recovery could not be completed");
  forget(self, who);
}

void feed(channel_pointer self, const caf::actor_addr& who, std::vector<outbound> items);

/// Hands `items` over, then either joins the subscriber to the live audience (caught up)
/// or waits for its queue to drain.
void hand_over(channel_pointer self, const caf::actor_addr& who, replay& r,
               std::vector<outbound> items) {
  auto& st = self->state;
  if (!items.empty())
    r.sink->send(std::move(items));
  if (r.next == st.seq) {
    st.subscribers.add(who, r.sink, r.conflate);
    st.replays.erase(who); // still monitored: now as a subscriber
    return count_subscribers(st);
  }
  r.sink->when_drained(0, [channel = caf::actor_cast<channel_actor>(self), who, id = r.id] {
    caf::anon_send(channel, replay_atom::value, who, id);
  });
}

/// Asks the store for the page after r.next; feeds it when it arrives.
void fetch(channel_pointer self, const caf::actor_addr& who, replay& r) {
  auto& st = self->state;
  history_query q;
  q.channel = st.id;
  q.epoch = st.epoch;
  q.since_seq = r.next;
  q.limit = static_cast<std::uint32_t>(st.limits.chunk_frames);
  q.max_bytes = st.limits.chunk_bytes;
  r.busy = true;
  st.archive.send(st.store);
  self->request(st.store, store_timeout, std::move(q))
      .then(
          [self, who, id = r.id](history_page& page) {
            auto r = find(self->state, who, id);
            if (!r)
              return;
            r->busy = false;
            if (page.items.empty() || page.items.front().seq != r->next + 1)
              return abandon(self, who,
                             "the history store no longer holds seq " +
                                 std::to_string(r->next + 1));
            const auto ch = index_of(self->state.id);
            std::vector<outbound> items;
            for (auto& item : page.items) {
              if (item.seq != r->next + 1)
                break;
              r->next = item.seq;
              items.push_back({std::move(item.data), ch, item.seq});
            }
            hand_over(self, who, *r, std::move(items));
          },
          [self, who, id = r.id](caf::error& e) {
            if (find(self->state, who, id))
              abandon(self, who, "the history store did not answer: " + caf::to_string(e));
          });
}

/// Sends the next chunk after `items` (the ack, for the first): from the ring while it holds
/// what comes next, else from the store.
void feed(channel_pointer self, const caf::actor_addr& who, std::vector<outbound> items) {
  auto& st = self->state;
  auto& r = st.replays.at(who);
  const auto ch = index_of(st.id);
  std::size_t bytes = 0;
  for (const auto& item : items)
    bytes += item.data->size();
  const auto first = items.size();
  while (r.next < st.seq && items.size() - first < st.limits.chunk_frames &&
         (items.size() == first || bytes < st.limits.chunk_bytes)) {
    auto e = st.recent.find(r.next + 1);
    if (!e)
      break;
    r.next = e->seq;
    bytes += e->text->size();
    items.push_back({e->text, ch, e->seq});
  }
  if (r.next == st.seq || items.size() > first)
    return hand_over(self, who, r, std::move(items));
  // What comes next has left the ring: it is older than what the ring holds.
  if (!st.store)
    return abandon(self, who, "the ring no longer holds seq " + std::to_string(r.next + 1));
  if (!items.empty())
    r.sink->send(std::move(items));
  fetch(self, who, r);
}

/// Starts replaying from `since_seq` (its ack says `recovered`).
void start_replay(channel_pointer self, const subscription& sub, bool conflate) {
  auto& st = self->state;
  auto who = sub.session.address();
  st.replays[who] = replay{sub.session, sub.sink, conflate, *sub.since_seq, st.next_replay++};
  feed(self, who, {subscribed_ack(st, sub.id, true)});
}

/// The ring does not reach back to since_seq: asks the store whether it does.
void check_store(channel_pointer self, const subscription& sub, bool conflate) {
  auto& st = self->state;
  auto who = sub.session.address();
  auto id = st.next_replay++;
  st.replays[who] = replay{sub.session, sub.sink, conflate, *sub.since_seq, id, true};
  st.archive.send(st.store);
  self->request(st.store, store_timeout, coverage_query{st.id, st.epoch, *sub.since_seq})
      .then(
          [self, sub, conflate, id](const coverage& c) {
            auto& st = self->state;
            auto r = find(st, sub.session.address(), id);
            if (!r)
              return;
            // Complete when the store reaches the ring (or the channel's seq).
            bool joined = st.recent.size() == 0 || st.recent.oldest_seq() <= c.through + 1;
            if (c.covered && joined) {
              r->busy = false;
              return feed(self, sub.session.address(), {subscribed_ack(st, sub.id, true)});
            }
            st.replays.erase(sub.session.address());
            subscribe_now(self, sub, conflate, false);
          },
          [self, sub, conflate, id](caf::error&) {
            auto& st = self->state;
            if (!find(st, sub.session.address(), id))
              return;
            st.replays.erase(sub.session.address());
            subscribe_now(self, sub, conflate, false);
          });
}

} // namespace

void count_subscribers(const channel_state& st) {
  if (st.subscriber_count)
    st.subscriber_count->store(st.subscribers.size(), std::memory_order_relaxed);
}

bool is_subscribed(const channel_state& st, const caf::actor_addr& who) {
  return st.subscribers.contains(who) || st.replays.count(who) > 0;
}

bool forget(channel_pointer self, const caf::actor_addr& who) {
  auto& st = self->state;
  bool was = st.subscribers.remove(who);
  was = st.replays.erase(who) > 0 || was;
  if (was)
    self->demonitor(who);
  count_subscribers(st);
  return was;
}

void subscribe(channel_pointer self, subscription& sub) {
  auto& st = self->state;
  auto who = sub.session.address();
  if (!is_subscribed(st, who))
    self->monitor(sub.session);
  // A new subscribe replaces what the session had: a replay in progress, or its mode.
  st.replays.erase(who);
  // Only a latest-value channel may skip publications.
  bool conflate = sub.conflate && protocol::is_latest_value(st.id);
  if (!sub.since_seq)
    return subscribe_now(self, sub, conflate, std::nullopt);
  st.subscribers.remove(who); // replayed first, then live again
  count_subscribers(st);
  bool same_epoch = !sub.epoch || *sub.epoch == st.epoch;
  if (!same_epoch || *sub.since_seq > st.seq)
    return subscribe_now(self, sub, conflate, false);
  if (st.recent.covers(*sub.since_seq, st.seq))
    return start_replay(self, sub, conflate);
  if (!st.store)
    return subscribe_now(self, sub, conflate, false);
  check_store(self, sub, conflate);
}

void abandon_replays(channel_pointer self, const std::string& why) {
  std::vector<caf::actor_addr> replaying;
  for (const auto& [who, r] : self->state.replays)
    replaying.push_back(who);
  for (const auto& who : replaying)
    abandon(self, who, why);
}

void continue_replay(channel_pointer self, const caf::actor_addr& who, std::uint64_t id) {
  auto r = find(self->state, who, id);
  if (r && !r->busy)
    feed(self, who, {});
}

} // namespace rtd
