// The Redis bridge's egress, as the channels see it: a frame_sink whose delivery lane is the
// bridge's own thread. The bridge's session subscribes it to the egress channels with
// conflate=false, so every publication of those channels reaches it, on that thread, as the
// very frame clients receive; it PUBLISHes the frame's JSON text, byte for byte, to
// rtd:<channel> and, with a stream length, XADDs it to rtd:stream:<channel>. What was sent
// and not yet answered by Redis is bounded in frames and bytes: beyond that, and while the
// connection is down, publications are dropped and counted. Nothing waits for Redis.
#pragma once

#include "actors/frame_sink.hpp"
#include "actors/log_throttle.hpp"
#include "actors/redis_config.hpp"
#include "actors/redis_counters.hpp"
#include "redis/connection.hpp"

#include <boost/asio/io_context.hpp>

#include <array>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace rtd {

/// The bridge's thread as a delivery lane. Once detached (the thread is ending) jobs are
/// dropped: channels may hold the sink a little longer than the bridge lives.
class redis_lane final : public delivery_lane {
public:
  explicit redis_lane(boost::asio::io_context& io) : io_(&io) {}

  void execute(std::function<void()> job) override;

  /// No job runs after this returns.
  void detach();

private:
  std::mutex mutex_;
  boost::asio::io_context* io_;
};

class redis_sink final : public frame_sink {
public:
  /// Publishes through `publisher`, which must outlive every job of `lane`.
  redis_sink(std::shared_ptr<redis_lane> lane, redis::connection& publisher,
             redis_egress_config config, std::shared_ptr<redis_counters> counters);

  /// Whether publications go to Redis (in a cluster, the leader's only); bridge thread.
  void set_active(bool active) { active_ = active; }

  /// The publish connection's reply to the oldest command in flight (null: lost with the
  /// connection); bridge thread.
  void on_reply(const redisReply* reply);

private:
  /// One command sent and not yet answered.
  struct in_flight {
    std::uint32_t bytes;
    bool stream; ///< XADD, else PUBLISH
  };

  void accept(const outbound* items, std::size_t count) override;
  void close_on_lane(close_code code, std::string reason) override;
  void when_drained_on_lane(std::size_t low_water, std::function<void()> f) override;

  void publish(std::string_view json, std::size_t channel);
  /// Acks and replies to the bridge's session: logged, never published.
  void note(const outbound& item, std::string_view type);
  void check_drained();

  std::shared_ptr<redis_lane> lane_; ///< the lane frame_sink refers to, kept alive
  redis::connection& publisher_;
  redis_egress_config config_;
  std::shared_ptr<redis_counters> counters_;
  std::array<std::string, protocol::all_channels.size()> pubsub_keys_; ///< rtd:<channel>
  std::array<std::string, protocol::all_channels.size()> stream_keys_; ///< rtd:stream:<channel>
  std::string maxlen_;
  std::deque<in_flight> sent_;
  std::size_t frames_in_flight_ = 0; ///< PUBLISHes among sent_
  std::size_t bytes_in_flight_ = 0;
  std::optional<std::pair<std::size_t, std::function<void()>>> drain_watch_;
  log_throttle failures_{std::chrono::seconds(10)};
  bool active_ = true;
  bool closed_ = false;
};

} // namespace rtd
