#pragma once
// WebSocket client connections on one single-threaded event loop. The only part of rtd-bench
// that sees Boost.Beast and Asio: everything else talks to these interfaces.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace rtd::bench {

/// ws://HOST:PORT/PATH split up; HOST is resolved once per event loop.
struct ws_url {
  std::string host;
  std::string port;
  std::string path;
};

/// Parses "ws://host:port/path" (port defaults to 80, path to "/"); throws on anything else.
ws_url parse_url(const std::string& url);

/// One client connection. Calls into it are made on its event loop's thread only.
class ws_client {
public:
  virtual ~ws_client() = default;
  /// Queues a text frame; frames go out in order, one write in flight. Ignored once closed.
  virtual void send(std::string text) = 0;
  /// The caller's index for this connection.
  virtual std::size_t index() const = 0;
};

/// What a connection reports, on its event loop's thread.
class ws_events {
public:
  virtual ~ws_events() = default;
  /// The WebSocket handshake completed.
  virtual void on_open(ws_client& c) = 0;
  /// One complete frame; `data` is writable and valid until this call returns.
  virtual void on_message(ws_client& c, char* data, std::size_t size) = 0;
  /// The connection failed or closed; `was_open` says whether on_open came first. Nothing more
  /// is reported for it afterwards.
  virtual void on_close(ws_client& c, bool was_open, const std::string& reason) = 0;
};

/// An io_context run by one thread, and the connections made on it.
class event_loop {
public:
  explicit event_loop(ws_url url);
  ~event_loop(); // closes every connection still open
  event_loop(const event_loop&) = delete;
  event_loop& operator=(const event_loop&) = delete;

  /// Starts a connection from source address `source_ip` (e.g. "127.0.0.3"; empty: any).
  /// The result is owned by the loop and lives until the loop is destroyed.
  ws_client& connect(std::size_t index, const std::string& source_ip, ws_events& events);

  /// Runs handlers on the calling thread until stop().
  void run();
  /// Makes run() return; callable from any thread.
  void stop();
  /// Runs `fn` on the loop's thread; callable from any thread.
  void post(std::function<void()> fn);
  /// Runs `fn` on the loop's thread once wall_us() >= `wall_time_us`.
  void at(std::int64_t wall_time_us, std::function<void()> fn);

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace rtd::bench
