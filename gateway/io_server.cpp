#include "gateway/io_server.hpp"

#include "gateway/http_connection.hpp"
#include "gateway/ws_connection.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace rtd {

namespace {
/// Bounds the final drain of aborted operations at shutdown.
constexpr auto drain_time = std::chrono::milliseconds(200);
/// How often each lane checks its connections' timers (close deadlines, idle timeouts).
constexpr auto timer_period = std::chrono::milliseconds(250);
constexpr auto max_backoff = std::chrono::milliseconds(1000);
/// Connections taken from the listen backlog at once before the lane serves anything else.
constexpr std::size_t accepts_per_wake = 64;
} // namespace

io_server::io_server(std::shared_ptr<gateway_context> context)
    : context_(std::move(context)), acceptor_(context_->lanes.front()->io()),
      retry_(context_->lanes.front()->io()) {
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
  if (acceptor_.non_blocking(true, ec); ec) // the backlog is drained without waiting
    fail("configure", ec);
  port_ = acceptor_.local_endpoint().port();
}

io_server::~io_server() {
  stop();
}

void io_server::start() {
  accept();
  for (auto& lane : context_->lanes) {
    keep_running_.push_back(net::make_work_guard(lane->io()));
    net::post(lane->io(), [&l = *lane] { l.start_timers(timer_period); });
    threads_.emplace_back([&io = lane->io()] { io.run(); });
  }
}

void io_server::accept() {
  auto& lane = next_lane();
  acceptor_.async_accept(lane.io().get_executor(),
                         [this, &lane](beast::error_code ec, lane_socket socket) {
                           on_accept(ec, std::move(socket), lane);
                         });
}

io_lane& io_server::next_lane() {
  return *context_->lanes[next_lane_++ % context_->lanes.size()];
}

void io_server::on_accept(beast::error_code ec, lane_socket socket, io_lane& lane) {
  if (ec == net::error::operation_aborted)
    return;
  if (ec)
    return back_off(ec);
  backoff_ = {};
  admit(std::move(socket), lane);
  // The rest of the backlog now: one connection per completion waited for a whole pass of
  // the lane's queue, which a delivery storm makes long (5,000 clients took 50 s to connect).
  for (std::size_t n = 1; n < accepts_per_wake; ++n) {
    auto& next = next_lane();
    lane_socket more{next.io()};
    acceptor_.accept(more, ec);
    if (ec == net::error::would_block || ec == net::error::try_again)
      break;
    if (ec == net::error::connection_aborted) // the client gave up while queued
      continue;
    if (ec)
      return back_off(ec);
    admit(std::move(more), next);
  }
  accept();
}

void io_server::admit(lane_socket socket, io_lane& lane) {
  beast::error_code ec;
  if (context_->http_connections.load(std::memory_order_relaxed) >=
      context_->config.max_http_connections) {
    // Connections that have not upgraded yet cost a parser each: refuse beyond the cap.
    accept_errors_.log(spdlog::level::warn, "connection_refused",
                       std::to_string(context_->config.max_http_connections) +
                           " HTTP connections are open (--max-http-connections)");
    socket.close(ec);
    return;
  }
  socket.set_option(tcp::no_delay(true), ec);
  if (auto bytes = context_->config.socket_send_buffer)
    socket.set_option(net::socket_base::send_buffer_size(static_cast<int>(bytes)), ec);
  net::post(lane.io(), [socket = std::move(socket), context = context_, &lane]() mutable {
    serve_connection(std::move(socket), std::move(context), lane);
  });
}

void io_server::back_off(const beast::error_code& ec) {
  backoff_ = std::min(max_backoff, std::max(std::chrono::milliseconds(10), backoff_ * 2));
  accept_errors_.log(spdlog::level::warn, "accept_failed",
                     ec.message() + "; retrying in " + std::to_string(backoff_.count()) + " ms");
  retry_.expires_after(backoff_);
  retry_.async_wait([this](beast::error_code e) {
    if (!e)
      accept();
  });
}

std::size_t io_server::open_websockets() const {
  return context_->deps.traffic->connections_active.load(std::memory_order_relaxed);
}

void io_server::stop() {
  if (threads_.empty())
    return;
  context_->accepting = false;
  net::post(acceptor_.get_executor(), [this] {
    beast::error_code ec;
    acceptor_.close(ec);
    retry_.cancel();
  });
  for (auto& lane : context_->lanes)
    net::post(lane->io(), [&l = *lane] {
      l.for_each([](ws_connection& c) {
        c.close_gracefully(close_code::going_away, "server shutting down");
      });
    });
  auto deadline = std::chrono::steady_clock::now() + context_->config.shutdown_grace;
  while (open_websockets() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (auto left = open_websockets())
    log::warn("shutdown_late_clients", std::to_string(left) + " clients did not close in time");
  keep_running_.clear();
  for (auto& lane : context_->lanes)
    lane->io().stop();
  for (auto& t : threads_)
    t.join();
  threads_.clear();
  // No I/O thread runs now: end the stragglers here, then let their pending operations
  // complete (aborted) so that the handlers release the connections they hold.
  for (auto& lane : context_->lanes) {
    lane->for_each([](ws_connection& c) { c.terminate(); });
    lane->poller().stop();
    lane->stop_timers();
    lane->io().restart();
    lane->io().run_for(drain_time);
    lane->close(); // the actors may still deliver: nothing they send stays queued
  }
}

} // namespace rtd
