// The gateway's I/O: the lanes' threads and the TCP listener. Internal to gateway/.
#pragma once

#include "gateway/beast.hpp"
#include "gateway/context.hpp"

#include <memory>
#include <thread>
#include <vector>

namespace rtd {

class io_server {
public:
  /// Binds and listens; throws std::runtime_error naming the address when it cannot.
  io_server(std::shared_ptr<gateway_context> context);
  ~io_server();

  std::uint16_t port() const { return port_; }

  /// Starts accepting on `io_threads` threads.
  void start();

  /// Stops accepting, closes every client with 1001, waits for them within the grace period,
  /// then stops and joins the I/O threads and ends the connections that are left. Idempotent.
  void stop();

private:
  void accept();
  io_lane& next_lane(); ///< round robin of new connections over the lanes
  void on_accept(beast::error_code ec, lane_socket socket, io_lane& lane);
  /// Serves a new connection on `lane` (its socket's), unless the HTTP cap refuses it.
  void admit(lane_socket socket, io_lane& lane);
  /// Out of file descriptors (or similar): accept again later instead of spinning.
  void back_off(const beast::error_code& ec);
  std::size_t open_websockets() const;

  std::shared_ptr<gateway_context> context_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;
  std::chrono::milliseconds backoff_{0};
  log_throttle accept_errors_{std::chrono::seconds(5)};
  std::uint16_t port_ = 0;
  std::vector<std::thread> threads_;
  /// Keeps each lane's run() going while it has no connection.
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running_;
  std::size_t next_lane_ = 0;
};

} // namespace rtd
