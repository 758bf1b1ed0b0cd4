// The narrow seam between actors and the gateway: where a session's frames go. Every frame to
// a connection goes through the connection's lane, one thread that serves it, so everything an
// actor sends one connection arrives in the order sent, and in order with what channels
// deliver to it.
#pragma once

#include "actors/frame.hpp"
#include "metrics/lane_metrics.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

namespace rtd {

class delivery_lane;

/// Per-channel state on the lane is kept in arrays indexed by the channel (outbound::channel,
/// never negative there).
inline constexpr std::size_t channel_slots = 8;
inline std::size_t slot_of(std::int8_t channel) {
  return static_cast<std::size_t>(channel) % channel_slots;
}

/// A client connection as the actors see it. Implemented by the gateway; the public members
/// are thread-safe and never block, so actors call them from any scheduler thread.
class frame_sink : public std::enable_shared_from_this<frame_sink> {
public:
  virtual ~frame_sink() = default;

  /// The lane that serves this connection.
  delivery_lane& lane() const { return lane_; }

  /// Queues `f` for the client.
  void send(frame f);

  /// Queues `items` for the client, in order, written together where they fit.
  void send(std::vector<outbound> items);

  /// Closes with `code` once what is queued is written; frames queued afterwards are dropped.
  void close(close_code code, std::string reason);

  /// Calls `f` once, on the lane's thread, as soon as at most `low_water` bytes are queued
  /// (at once if that holds already); never when the connection ends first. For replays paced
  /// by the client's reading. Several may wait at once (one per channel replaying to the
  /// client): the connection watches for the lowest of their marks and calls them all.
  void when_drained(std::size_t low_water, std::function<void()> f);

protected:
  explicit frame_sink(delivery_lane& lane) : lane_(lane) {}

private:
  friend class delivery_lane;

  // The connection's side, called on its lane's thread only.
  virtual void accept(const outbound* items, std::size_t count) = 0;
  virtual void close_on_lane(close_code code, std::string reason) = 0;
  virtual void when_drained_on_lane(std::size_t low_water, std::function<void()> f) = 0;

  /// On the lane's thread: adds a waiter and has the connection watch for the lowest mark.
  void wait_for_drain(std::size_t low_water, std::function<void()> f);
  /// On the lane's thread, from the connection: calls every waiter.
  void drained();

  delivery_lane& lane_;
  /// Per channel, the membership of the last ack handed over (lane thread only).
  std::array<std::uint64_t, channel_slots> membership_{};
  /// What waits for the queue to drain (lane thread only); usually nothing, and then no
  /// memory: a node holds one sink per client.
  std::unique_ptr<std::vector<std::pair<std::size_t, std::function<void()>>>> drain_waiters_;
};

/// Shared by the session and the channels it subscribed to. Never leaves the node.
using frame_sink_ptr = std::shared_ptr<frame_sink>;

/// A channel's subscribers on one lane.
struct audience {
  std::vector<frame_sink_ptr> conflating; ///< accept conflation (latest-value channels)
  std::vector<frame_sink_ptr> strict;     ///< get every publication
  std::uint64_t generation = 0;           ///< of the subscribers it was made from
};

/// One thread's share of the connections. A channel hands each lane a publication once, for
/// all of the lane's subscribers: one hop per thread, not one per subscriber.
class delivery_lane {
public:
  virtual ~delivery_lane() = default;

  /// Runs `job` on the lane's thread, after every job handed over before.
  virtual void execute(std::function<void()> job) = 0;

  /// Hands publication `item` to every sink of `to`. The strict ones get every publication.
  /// The conflating ones are served in a round per channel; a later publication of the channel
  /// handed over while the round is under way takes its place, so each subscriber gets the
  /// newest one at its turn (a lane that falls behind writes fresh values, not a backlog).
  /// `number` counts the channel's publications: one with a later one already on its way to
  /// this lane goes to the strict subscribers only.
  void publish(outbound item, std::uint64_t number, std::shared_ptr<const audience> to);

  /// Subscribers served per turn of a large fan-out, so that the lane's other work (reads,
  /// accepts, pings) waits for one slice, never for the whole audience.
  static constexpr std::size_t slice = 512;

  /// Where this lane's traffic is counted (deliveries, their latency, and the connections'
  /// reads and writes); null: not counted. Set before the lane runs.
  void count_into(metrics::lane_metrics* m) { metrics_ = m; }
  metrics::lane_metrics* metrics() const { return metrics_; }

protected:
  static void hand(frame_sink& sink, const outbound* items, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i)
      if (items[i].membership != 0)
        sink.membership_[slot_of(items[i].channel)] = items[i].membership;
    sink.accept(items, count);
  }
  static void close_sink(frame_sink& sink, close_code code, std::string reason) {
    sink.close_on_lane(code, std::move(reason));
  }
  static void watch_sink(frame_sink& sink, std::size_t low_water, std::function<void()> f) {
    sink.when_drained_on_lane(low_water, std::move(f));
  }

private:
  friend class frame_sink;

  using clock = std::chrono::steady_clock;

  /// A channel's round over its conflating subscribers (lane thread only).
  struct round {
    outbound item;                      ///< the newest publication handed over
    std::shared_ptr<const audience> to; ///< its audience
    std::size_t next = 0;               ///< the subscriber served next
    std::size_t left = 0;               ///< subscribers still to be served `item`
    clock::time_point published;        ///< when `item` was handed over
    bool queued = false;                ///< a turn of the round waits in the lane's jobs
  };

  /// Hands a publication made for `to` to `sink`, unless an ack handed over since says that
  /// the sink left or joined the channel anew (nothing follows `unsubscribed`, and a new
  /// subscription starts after its `subscribed`).
  static void offer(frame_sink& sink, const outbound& item, const audience& to);
  void serve_strict(outbound every, std::shared_ptr<const audience> to, std::size_t from,
                    clock::time_point published);
  void serve_round(round& r);
  void count(std::size_t deliveries, clock::time_point published);

  metrics::lane_metrics* metrics_ = nullptr;
  std::array<round, channel_slots> rounds_; ///< by channel
  /// Per channel, the number of the newest publication handed to this lane.
  std::array<std::atomic<std::uint64_t>, channel_slots> newest_{};
};

} // namespace rtd
