#include "gateway/http_connection.hpp"

#include "gateway/context.hpp"
#include "gateway/http_request_checks.hpp"
#include "gateway/http_responses.hpp"
#include "gateway/plain_connection.hpp"
#include "gateway/ws_handshake.hpp"

namespace rtd {

http_connection::http_connection(lane_socket socket, std::shared_ptr<gateway_context> context,
                                 io_lane& lane)
    : context_(std::move(context)), stream_(std::move(socket)), lane_(lane) {
  context_->http_connections.fetch_add(1, std::memory_order_relaxed);
}

http_connection::~http_connection() {
  context_->http_connections.fetch_sub(1, std::memory_order_relaxed);
}

void http_connection::run() {
  read();
}

void http_connection::read() {
  parser_.emplace();
  parser_->header_limit(http_header_limit);
  parser_->body_limit(context_->config.max_http_body);
  // Covers an idle keep-alive connection and a slow (slowloris) request alike.
  stream_.expires_after(context_->config.http_timeout);
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void http_connection::on_read(beast::error_code ec) {
  if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
      ec == net::error::operation_aborted) {
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    return;
  }
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
  auto self = shared_from_this();
  serve_http(req, path, *context_, [self](http_response res) {
    net::post(self->stream_.get_executor(),
              [self, res = std::move(res)]() mutable { self->write(std::move(res)); });
  });
}

void http_connection::upgrade(http_request req) {
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
  if (!ctx.accepting || ctx.deps.traffic->connections_active.load() >= ctx.config.max_connections) {
    ctx.warnings.log(spdlog::level::warn, "gateway: connection refused: limit of " +
                                              std::to_string(ctx.config.max_connections) +
                                              " connections reached");
    return refuse(http::status::service_unavailable, "connection limit reached");
  }
  auto claims = ctx.verify(req);
  auto response = std::make_shared<http::response<http::empty_body>>(
      switching_protocols(std::get<std::string>(checked), version_));
  stream_.expires_after(ctx.config.http_timeout);
  http::async_write(stream_, *response,
                    [self = shared_from_this(), response,
                     claims = std::move(claims)](beast::error_code ec, std::size_t) mutable {
                      if (ec)
                        return;
                      self->stream_.expires_never();
                      auto early = self->buffer_.cdata();
                      auto id = self->context_->next_connection.fetch_add(1);
                      auto c = std::make_shared<plain_connection>(self->stream_.release_socket(),
                                                                  self->context_, self->lane_, id,
                                                                  std::move(claims));
                      c->run({static_cast<const char*>(early.data()), early.size()});
                    });
}

void http_connection::refuse(http::status status, std::string message, bool keep_alive) {
  auto code = status == http::status::payload_too_large || status == http::status::bad_request
                  ? protocol::error_code::invalid_message
                  : protocol::error_code::rate_limited;
  write(error_response(status, code, std::move(message), version_, keep_alive));
}

void http_connection::write(http_response res) {
  auto keep_alive = res.keep_alive();
  auto shared = std::make_shared<http_response>(std::move(res));
  stream_.expires_after(context_->config.http_timeout);
  http::async_write(
      stream_, *shared,
      [self = shared_from_this(), shared, keep_alive](beast::error_code ec, std::size_t) {
        if (ec || !keep_alive) {
          self->stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
          return;
        }
        self->read();
      });
}

} // namespace rtd
