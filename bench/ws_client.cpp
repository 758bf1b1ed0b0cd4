#include "bench/ws_client.hpp"

#include "bench/proc_stats.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <netinet/in.h>
#include <stdexcept>
#include <vector>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

namespace rtd::bench {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
// The io_context's own executor type instead of the polymorphic any_executor: no type-erased
// executor copies per operation (they showed up at 4% of the client's CPU).
using socket_type = net::basic_stream_socket<tcp, net::io_context::executor_type>;

ws_url parse_url(const std::string& url) {
  const std::string scheme = "ws://";
  if (url.rfind(scheme, 0) != 0)
    throw std::runtime_error("--url must start with ws:// (got " + url + ")");
  std::string rest = url.substr(scheme.size());
  std::string path = "/";
  if (auto slash = rest.find('/'); slash != std::string::npos) {
    path = rest.substr(slash);
    rest.resize(slash);
  }
  std::string host = rest, port = "80";
  if (auto colon = rest.rfind(':'); colon != std::string::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty() || port.empty())
    throw std::runtime_error("bad --url: " + url);
  return {host, port, path};
}

namespace {

class connection final : public ws_client, public std::enable_shared_from_this<connection> {
public:
  connection(net::io_context& ioc, std::size_t index, ws_events& events)
      : ws_(ioc.get_executor()), index_(index), events_(events) {}

  std::size_t index() const override { return index_; }

  void start(const tcp::endpoint& target, const std::string& source_ip, const ws_url& url) {
    beast::error_code ec;
    auto& socket = ws_.next_layer();
    socket.open(tcp::v4(), ec);
    if (!ec && !source_ip.empty()) {
      // Let connect() choose the port per 4-tuple rather than bind() per address: more
      // connections per source address.
      int one = 1;
      ::setsockopt(socket.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
      socket.bind(tcp::endpoint(net::ip::make_address(source_ip, ec), 0), ec);
    }
    if (ec) {
      net::post(ws_.get_executor(), [self = shared_from_this(), ec] { self->fail(ec, "open"); });
      return;
    }
    host_header_ = url.host + ":" + url.port;
    path_ = url.path;
    socket.async_connect(target, [self = shared_from_this()](beast::error_code ec) {
      if (ec)
        return self->fail(ec, "connect");
      self->ws_.next_layer().set_option(tcp::no_delay(true), ec);
      self->ws_.async_handshake(self->host_header_, self->path_,
                                [self](beast::error_code ec) { self->on_handshake(ec); });
    });
  }

  void send(std::string text) override {
    if (closed_ || !open_)
      return;
    out_.push_back(std::move(text));
    if (!writing_)
      write_next();
  }

  void shutdown() {
    closed_ = true;
    beast::error_code ec;
    ws_.next_layer().close(ec);
  }

private:
  void on_handshake(beast::error_code ec) {
    if (ec)
      return fail(ec, "handshake");
    open_ = true;
    ws_.text(true);
    events_.on_open(*this);
    read_next();
  }

  void read_next() {
    if (closed_)
      return;
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec)
        return self->fail(ec, "read");
      auto data = self->buffer_.data();
      self->events_.on_message(*self, static_cast<char*>(data.data()), data.size());
      self->buffer_.consume(self->buffer_.size());
      self->read_next();
    });
  }

  void write_next() {
    writing_ = true;
    ws_.async_write(net::buffer(out_.front()),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      self->writing_ = false;
                      if (self->closed_)
                        return;
                      self->out_.pop_front();
                      if (ec)
                        return self->fail(ec, "write");
                      if (!self->out_.empty())
                        self->write_next();
                    });
  }

  void fail(beast::error_code ec, const char* stage) {
    if (closed_)
      return;
    closed_ = true;
    std::string reason = std::string(stage) + ": " + ec.message();
    if (ec == websocket::error::closed)
      reason += " (close code " + std::to_string(ws_.reason().code) + ")";
    beast::error_code ignored; // out_ stays: a write in flight may still refer to its front
    ws_.next_layer().close(ignored);
    events_.on_close(*this, open_, reason);
  }

  websocket::stream<socket_type> ws_;
  beast::flat_buffer buffer_;
  std::deque<std::string> out_;
  std::string host_header_, path_;
  std::size_t index_;
  ws_events& events_;
  bool open_ = false, writing_ = false, closed_ = false;
};

} // namespace

struct event_loop::impl {
  net::io_context ioc{1};
  net::executor_work_guard<net::io_context::executor_type> work = net::make_work_guard(ioc);
  ws_url url;
  tcp::endpoint target;
  std::vector<std::shared_ptr<connection>> connections;
};

event_loop::event_loop(ws_url url) : impl_(std::make_unique<impl>()) {
  impl_->url = std::move(url);
  tcp::resolver resolver(impl_->ioc);
  auto results = resolver.resolve(tcp::v4(), impl_->url.host, impl_->url.port);
  if (results.empty())
    throw std::runtime_error("cannot resolve " + impl_->url.host);
  impl_->target = results.begin()->endpoint();
}

event_loop::~event_loop() {
  for (auto& c : impl_->connections)
    c->shutdown();
  impl_->connections.clear();
}

ws_client& event_loop::connect(std::size_t index, const std::string& source_ip, ws_events& events) {
  auto c = std::make_shared<connection>(impl_->ioc, index, events);
  impl_->connections.push_back(c);
  c->start(impl_->target, source_ip, impl_->url);
  return *c;
}

void event_loop::run() {
  impl_->ioc.run();
}

void event_loop::stop() {
  impl_->ioc.stop();
}

void event_loop::post(std::function<void()> fn) {
  net::post(impl_->ioc, std::move(fn));
}

void event_loop::at(std::int64_t wall_time_us, std::function<void()> fn) {
  auto timer = std::make_shared<net::steady_timer>(impl_->ioc);
  timer->expires_after(
      std::chrono::microseconds(std::max<std::int64_t>(0, wall_time_us - wall_us())));
  timer->async_wait([timer, fn = std::move(fn)](beast::error_code ec) {
    if (!ec)
      fn();
  });
}

} // namespace rtd::bench
