#include "gateway/http_connection.hpp"

#include "gateway/context.hpp"
#include "gateway/http_request_checks.hpp"
#include "gateway/http_responses.hpp"
#include "gateway/plain_connection.hpp"
#include "gateway/tls_connection.hpp"
#include "gateway/ws_handshake.hpp"

#include <type_traits>

namespace rtd {

namespace {

/// The WebSocket connection that continues an upgraded HTTP connection on its transport.
void start_websocket(http_stream& stream, std::string_view early,
                     std::shared_ptr<gateway_context> context, io_lane& lane, std::uint64_t id,
                     auth::verification verified) {
  auto c =
      std::make_shared<plain_connection>(stream.release_socket(), std::move(context), lane, id);
  c->run(early, std::move(verified));
}

void start_websocket(tls_stream& stream, std::string_view early,
                     std::shared_ptr<gateway_context> context, io_lane& lane, std::uint64_t id,
                     auth::verification verified) {
  auto c = std::make_shared<tls_connection>(std::move(stream), std::move(context), lane, id);
  c->run(early, std::move(verified));
}

template <class Stream>
class http_connection : public std::enable_shared_from_this<http_connection<Stream>> {
public:
  static constexpr bool secure = std::is_same_v<Stream, tls_stream>;

  template <class... Args>
  http_connection(std::shared_ptr<gateway_context> context, io_lane& lane, Args&&... stream_args)
      : context_(std::move(context)), stream_(std::forward<Args>(stream_args)...), lane_(lane) {
    context_->http_connections.fetch_add(1, std::memory_order_relaxed);
  }

  ~http_connection() { context_->http_connections.fetch_sub(1, std::memory_order_relaxed); }

  void run() {
    if constexpr (secure) {
      transport().expires_after(context_->config.http_timeout);
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (!ec)
                                  self->read();
                              });
    } else {
      read();
    }
  }

private:
  http_stream& transport() { return beast::get_lowest_layer(stream_); }

  void read() {
    parser_.emplace();
    parser_->header_limit(http_header_limit);
    parser_->body_limit(context_->config.max_http_body);
    // Covers an idle keep-alive connection and a slow (slowloris) request alike.
    transport().expires_after(context_->config.http_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                       self->on_read(ec);
                     });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted)
      return close();
    if (ec == http::error::body_limit || ec == http::error::header_limit)
      return refuse(http::status::payload_too_large, "request too large");
    if (ec)
      return refuse(http::status::bad_request, "malformed HTTP request: " + ec.message());
    auto req = parser_->release();
    version_ = req.version();
    if (auto why = malformed(req))
      return refuse(http::status::bad_request, *why);
    auto target = req.target();
    auto path = target_path({target.data(), target.size()});
    if (path.empty())
      return refuse(http::status::bad_request, "request target must be a path");
    if (path == "/ws" && (req.method() == http::verb::get || websocket::is_upgrade(req)))
      return upgrade(std::move(req));
    // Answered on this connection's thread, whichever thread the route answers from.
    auto self = this->shared_from_this();
    route_http(req, path, *context_, [self](http_response res) {
      net::post(self->transport().get_executor(),
                [self, res = std::move(res)]() mutable { self->write(std::move(res)); });
    });
  }

  void upgrade(http_request req) {
    auto& ctx = *context_;
    auto checked = check_upgrade(req, ctx.origins);
    if (auto no = std::get_if<handshake_refusal>(&checked)) {
      auto res = error_response(no->status, protocol::error_code::invalid_message, no->message,
                                version_, false);
      if (no->status == http::status::upgrade_required) {
        res.set(http::field::upgrade, "websocket");
        res.set(http::field::sec_websocket_version, "13");
      }
      return write(std::move(res));
    }
    if (!ctx.accepting) {
      ctx.deps.metrics->connection_refused(metrics::refusal_reason::shutting_down);
      return refuse(http::status::service_unavailable, "the server is shutting down");
    }
    if (ctx.deps.traffic->connections_active.load() >= ctx.config.max_connections) {
      ctx.deps.metrics->connection_refused(metrics::refusal_reason::connection_limit);
      ctx.warnings.log(spdlog::level::warn, "connection_refused",
                       "limit of " + std::to_string(ctx.config.max_connections) +
                           " connections reached");
      return refuse(http::status::service_unavailable, "connection limit reached");
    }
    auto response = std::make_shared<http::response<http::empty_body>>(
        switching_protocols(std::get<std::string>(checked), version_));
    transport().expires_after(ctx.config.http_timeout);
    http::async_write(stream_, *response,
                      [self = this->shared_from_this(), response,
                       verified = ctx.verify(req)](beast::error_code ec, std::size_t) mutable {
                        if (ec)
                          return;
                        self->transport().expires_never();
                        auto early = self->buffer_.cdata();
                        start_websocket(
                            self->stream_, {static_cast<const char*>(early.data()), early.size()},
                            self->context_, self->lane_,
                            self->context_->next_connection.fetch_add(1), std::move(verified));
                      });
  }

  void refuse(http::status status, std::string message) {
    auto code = status == http::status::payload_too_large || status == http::status::bad_request
                    ? protocol::error_code::invalid_message
                    : protocol::error_code::rate_limited;
    write(error_response(status, code, std::move(message), version_, false));
  }

  void write(http_response res) {
    auto keep_alive = res.keep_alive();
    auto shared = std::make_shared<http_response>(std::move(res));
    transport().expires_after(context_->config.http_timeout);
    http::async_write(
        stream_, *shared,
        [self = this->shared_from_this(), shared, keep_alive](beast::error_code ec, std::size_t) {
          if (ec || !keep_alive)
            return self->close();
          self->read();
        });
  }

  void close() {
    beast::error_code ec;
    transport().socket().shutdown(tcp::socket::shutdown_both, ec);
  }

  // First, so that it is destroyed last: it owns the io_context the socket belongs to.
  std::shared_ptr<gateway_context> context_;
  Stream stream_;
  io_lane& lane_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  unsigned version_ = 11;
};

} // namespace

void serve_connection(lane_socket socket, std::shared_ptr<gateway_context> context, io_lane& lane) {
  if (context->tls) {
    auto& tls = *context->tls;
    std::make_shared<http_connection<tls_stream>>(std::move(context), lane, std::move(socket), tls)
        ->run();
  } else {
    std::make_shared<http_connection<http_stream>>(std::move(context), lane, std::move(socket))
        ->run();
  }
}

} // namespace rtd
