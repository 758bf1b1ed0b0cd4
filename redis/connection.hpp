// One connection to Redis that keeps itself connected. It resolves the host with Asio's
// resolver (hiredis would call getaddrinfo on the caller's thread), connects through hiredis's
// asynchronous API (asio_adapter), then sends AUTH (when there is a password), SELECT (when the
// database is not 0) and PING, and is ready when all three are answered. When a step fails,
// the connection drops, or a reply is overdue, it reports why and tries again after a backoff
// that doubles up to a maximum. Every member runs on the io_context's thread, never blocking.
#pragma once

#include "redis/url.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

struct redisAsyncContext;
struct redisReply;

namespace rtd::redis {

struct connection_config {
  endpoint where;
  std::string password; ///< empty: no AUTH
  std::chrono::milliseconds initial_backoff{100};
  std::chrono::milliseconds max_backoff{5000};
  /// For connecting and the handshake, and for any reply once ready: past it the connection
  /// counts as lost (a Redis that stopped answering is as good as down).
  std::chrono::milliseconds timeout{5000};
  std::string role; ///< what the connection is for ("publish", "subscribe"), for messages
};

/// What a connection tells its owner, on the io_context's thread.
struct connection_events {
  std::function<void()> up;                         ///< ready for commands
  std::function<void(const std::string& why)> down; ///< not ready (any more); retrying
  /// The reply to a send(), in order; null when the connection ended before it came.
  std::function<void(const redisReply* reply)> reply;
  /// A subscribed channel's confirmation (after subscribe()).
  std::function<void(std::string_view channel)> subscribed;
  /// A message on a subscribed channel.
  std::function<void(std::string_view channel, std::string_view payload)> message;
};

class connection {
public:
  using clock = std::chrono::steady_clock;

  connection(boost::asio::io_context& io, connection_config config, connection_events events);
  ~connection();

  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  /// Starts connecting (once).
  void start();

  /// Handshake done, connection up.
  bool ready() const { return state_ == state::ready; }

  /// Queues one command, binary-safe; its reply goes to events.reply. False (nothing sent)
  /// when not ready.
  bool send(const std::vector<std::string_view>& args);

  /// Subscribes to `channels`; confirmations and messages go to events.subscribed and
  /// events.message. A subscribed connection can only subscribe: use it for nothing else.
  /// The subscription ends with the connection: subscribe again on each up. False when not
  /// ready.
  bool subscribe(const std::vector<std::string>& channels);

  /// Replies awaited for send().
  std::size_t pending() const { return pending_; }

  const connection_config& config() const { return config_; }

private:
  enum class state { idle, resolving, connecting, handshaking, ready, waiting };

  static void on_connect(const redisAsyncContext* ac, int status);
  static void on_disconnect(const redisAsyncContext* ac, int status);
  static void on_handshake(redisAsyncContext* ac, void* reply, void* step);
  static void on_reply(redisAsyncContext* ac, void* reply, void* unused);
  static void on_subscription(redisAsyncContext* ac, void* reply, void* unused);

  void resolve();
  void connect(const std::string& address);
  void handshake();
  /// Drops the context (when there is one) and retries after the backoff.
  void lose(std::string why);
  /// The context is gone already (hiredis freed it): retry after the backoff.
  void failed(std::string why);
  void arm_watchdog();
  void check_deadlines();

  boost::asio::io_context& io_;
  connection_config config_;
  connection_events events_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer retry_timer_;
  boost::asio::steady_timer watchdog_;
  redisAsyncContext* context_ = nullptr;
  state state_ = state::idle;
  std::chrono::milliseconds backoff_;
  clock::time_point deadline_{};      ///< of connecting and the handshake
  clock::time_point last_progress_{}; ///< last reply, or first command since then
  std::size_t pending_ = 0;
  std::size_t handshake_left_ = 0;
  bool closing_ = false; ///< in the destructor: nothing is reported any more
};

} // namespace rtd::redis
