// The gateway's I/O: the io_context, its threads and the TCP listener. Internal to gateway/.
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

  std::shared_ptr<gateway_context> context_;
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::vector<std::thread> threads_;
  /// Keeps each lane's run() going while it has no connection.
  std::vector<net::executor_work_guard<net::io_context::executor_type>> keep_running_;
  std::size_t next_lane_ = 0; ///< round robin of new connections over the lanes
};

} // namespace rtd
