#include "gateway/io_server.hpp"

#include "gateway/http_connection.hpp"
#include "gateway/ws_connection.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace rtd {

namespace {
/// Bounds the final drain of aborted operations at shutdown.
constexpr auto drain_time = std::chrono::milliseconds(200);
} // namespace

io_server::io_server(std::shared_ptr<gateway_context> context)
    : context_(std::move(context)), acceptor_(context_->lanes.front()->io()) {
  const auto& cfg = context_->config;
  auto fail = [&](const char* what, const beast::error_code& ec) {
    throw std::runtime_error(std::string{"cannot "} + what + " " + cfg.host + ":" +
                             std::to_string(cfg.port) + ": " + ec.message());
  };
  beast::error_code ec;
  auto address = net::ip::make_address(cfg.host, ec);
  if (ec)
    fail("parse address", ec);
  tcp::endpoint endpoint{address, cfg.port};
  if (acceptor_.open(endpoint.protocol(), ec); ec)
    fail("open", ec);
  if (acceptor_.set_option(net::socket_base::reuse_address(true), ec); ec)
    fail("configure", ec);
  if (acceptor_.bind(endpoint, ec); ec)
    fail("bind", ec);
  if (acceptor_.listen(net::socket_base::max_listen_connections, ec); ec)
    fail("listen on", ec);
  port_ = acceptor_.local_endpoint().port();
}

io_server::~io_server() {
  stop();
}

void io_server::start() {
  accept();
  for (auto& lane : context_->lanes) {
    keep_running_.push_back(net::make_work_guard(lane->io()));
    threads_.emplace_back([&io = lane->io()] { io.run(); });
  }
}

void io_server::accept() {
  auto& lane = *context_->lanes[next_lane_++ % context_->lanes.size()];
  acceptor_.async_accept(
      lane.io().get_executor(), [this, &lane](beast::error_code ec, lane_socket socket) {
        if (ec) {
          if (ec == net::error::operation_aborted)
            return;
          // Out of file descriptors and the like: the listener must outlive it.
          spdlog::warn("gateway: accept failed: {}", ec.message());
        } else {
          socket.set_option(tcp::no_delay(true), ec);
          std::make_shared<http_connection>(std::move(socket), context_, lane)->run();
        }
        accept();
      });
}

void io_server::stop() {
  if (threads_.empty())
    return;
  context_->accepting = false;
  net::post(acceptor_.get_executor(), [this] {
    beast::error_code ec;
    acceptor_.close(ec);
  });
  context_->connections.for_each(
      [](ws_connection& c) { c.close(close_code::going_away, "server shutting down"); });
  auto deadline = std::chrono::steady_clock::now() + context_->config.shutdown_grace;
  if (!context_->connections.wait_empty(deadline))
    spdlog::warn("gateway: {} clients did not close in time", context_->connections.size());
  keep_running_.clear();
  for (auto& lane : context_->lanes)
    lane->io().stop();
  for (auto& t : threads_)
    t.join();
  threads_.clear();
  // No I/O thread runs now: end the stragglers here, then let their pending operations
  // complete (aborted) so that the handlers release the connections they hold.
  context_->connections.for_each([](ws_connection& c) { c.terminate(); });
  for (auto& lane : context_->lanes) {
    lane->io().restart();
    lane->io().run_for(drain_time);
  }
}

} // namespace rtd
