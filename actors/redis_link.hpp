// The Redis bridge's thread: its own io_context, the two connections to Redis (one to
// PUBLISH and XADD, one subscribed to the ingest channels: a subscribed connection can do
// nothing else), the egress sink, and the ingest's first checks (size, rate), done before a
// message costs an actor message. Reports each connection's state to the health board (the
// reason it is down) and the counters. Nothing here blocks, and nothing outside waits for it.
#pragma once

#include "actors/health_board.hpp"
#include "actors/redis_config.hpp"
#include "actors/redis_counters.hpp"
#include "actors/redis_sink.hpp"
#include "redis/connection.hpp"
#include "redis/token_bucket.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace rtd {

class redis_link {
public:
  /// A message from rtd:publish:<channel> that passed the size and rate checks; on the
  /// bridge's thread.
  using ingest_handler = std::function<void(protocol::channel, std::string payload)>;

  redis_link(redis_bridge_config config, std::shared_ptr<redis_counters> counters,
             std::shared_ptr<health_board> health, ingest_handler ingest);

  /// Stops the thread; the connections close.
  ~redis_link();

  redis_link(const redis_link&) = delete;
  redis_link& operator=(const redis_link&) = delete;

  /// What the bridge's session subscribes to the egress channels.
  frame_sink_ptr sink() const { return sink_; }

  /// Starts the thread, which connects (and keeps reconnecting).
  void start();

  /// Ingest consumed and egress published, or neither; any thread.
  void set_active(bool active);

private:
  void changed(redis_role role, const std::string* down_reason);
  void on_message(std::string_view redis_channel, std::string_view payload);
  redis::connection_config connection_config(redis_role role) const;

  redis_bridge_config config_;
  std::shared_ptr<redis_counters> counters_;
  std::shared_ptr<health_board> health_;
  ingest_handler ingest_;
  boost::asio::io_context io_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::shared_ptr<redis_lane> lane_;
  std::optional<redis::connection> publisher_;
  std::optional<redis::connection> subscriber_; ///< only with ingest channels
  std::shared_ptr<redis_sink> sink_;
  /// rtd:publish:<channel> of each ingest channel.
  std::vector<std::pair<std::string, protocol::channel>> ingest_keys_;
  std::size_t confirmed_ = 0;         ///< subscriptions confirmed on the current connection
  std::array<bool, 2> reported_up_{}; ///< per role: last told up (a change is logged)
  std::array<bool, 2> reported_{};    ///< per role: told anything yet
  redis::token_bucket bucket_;
  log_throttle ingest_warnings_{std::chrono::seconds(10)};
  bool active_;
  std::thread thread_;
};

} // namespace rtd
