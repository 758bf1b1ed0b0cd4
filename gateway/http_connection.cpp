#include "gateway/http_connection.hpp"

#include "gateway/http_responses.hpp"
#include "gateway/static_files.hpp"
#include "gateway/ws_connection.hpp"
#include "protocol/codec.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

namespace rtd {

namespace {

constexpr auto request_timeout = std::chrono::seconds(30);
constexpr std::uint32_t header_limit = 16 * 1024;
constexpr auto publish_timeout = std::chrono::seconds(5);

std::string_view path_of(beast::string_view target) {
  std::string_view t{target.data(), target.size()};
  return t.substr(0, t.find('?'));
}

std::string health_body(const gateway_context& ctx) {
  double uptime =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.started).count();
  return R"({"status":"ok","node":")" + ctx.deps.sessions->node + R"(","uptime_s":)" +
         std::to_string(uptime) + R"(,"connections":)" +
         std::to_string(ctx.deps.traffic->connections_active.load()) + "}";
}

} // namespace

http_connection::http_connection(lane_socket socket, std::shared_ptr<gateway_context> context,
                                 io_lane& lane)
    : context_(std::move(context)), stream_(std::move(socket)), lane_(lane) {}

void http_connection::run() {
  read();
}

void http_connection::read() {
  parser_.emplace();
  parser_->header_limit(header_limit);
  parser_->body_limit(context_->config.max_http_body);
  stream_.expires_after(request_timeout);
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void http_connection::on_read(beast::error_code ec) {
  if (ec == http::error::end_of_stream || ec == beast::error::timeout) {
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    return;
  }
  if (ec == http::error::body_limit || ec == http::error::header_limit) {
    write(error_response(http::status::payload_too_large, protocol::error_code::invalid_message,
                         "request too large", 11, false));
    return;
  }
  if (ec) {
    write(error_response(http::status::bad_request, protocol::error_code::invalid_message,
                         "malformed HTTP request: " + ec.message(), 11, false));
    return;
  }
  auto req = parser_->release();
  auto path = path_of(req.target());
  auto version = req.version();
  auto keep_alive = req.keep_alive();
  if (websocket::is_upgrade(req) && path == "/ws") {
    upgrade(std::move(req));
  } else if (req.method() == http::verb::get && path == "/health") {
    write(json_response(http::status::ok, health_body(*context_), version, keep_alive));
  } else if (req.method() == http::verb::get && path == "/ready") {
    if (context_->accepting)
      write(json_response(http::status::ok, R"({"status":"ready"})", version, keep_alive));
    else
      write(json_response(http::status::service_unavailable, R"({"status":"shutting_down"})",
                          version, keep_alive));
  } else if (req.method() == http::verb::post && path == "/api/notifications") {
    publish_notification(req);
  } else if (auto file = req.method() == http::verb::get
                             ? load_static_file(context_->config.static_dir, path)
                             : std::nullopt) {
    write(file_response(std::move(*file), version, keep_alive));
  } else {
    write(
        error_response(http::status::not_found, protocol::error_code::not_found,
                       "no route for " + std::string{req.method_string()} + " " + std::string{path},
                       version, keep_alive));
  }
}

void http_connection::upgrade(request req) {
  auto& ctx = *context_;
  if (!ctx.accepting || ctx.connections.size() >= ctx.config.max_connections) {
    ctx.notify(protocol::notification_level::warning,
               "connection refused: limit of " + std::to_string(ctx.config.max_connections) +
                   " connections reached");
    write(error_response(http::status::service_unavailable, protocol::error_code::rate_limited,
                         "connection limit reached", req.version(), false));
    return;
  }
  stream_.expires_never();
  std::make_shared<ws_connection>(stream_.release_socket(), context_, lane_)
      ->accept(std::move(req));
}

void http_connection::publish_notification(const request& req) {
  auto version = req.version();
  auto keep_alive = req.keep_alive();
  auto decoded = protocol::decode_notification_post(req.body());
  if (auto err = std::get_if<protocol::decode_error>(&decoded)) {
    write(error_response(http::status::bad_request, err->code, err->message, version, keep_alive));
    return;
  }
  // Ask the notifier from a short-lived actor: an I/O thread must never block on an actor.
  auto self = shared_from_this();
  auto respond = [self, version, keep_alive](http::status status, std::string body) {
    net::post(self->stream_.get_executor(),
              [self, status, version, keep_alive, body = std::move(body)]() mutable {
                self->write(json_response(status, std::move(body), version, keep_alive));
              });
  };
  context_->system.spawn([notifier = context_->deps.notifier, respond,
                          n = std::get<protocol::notification>(std::move(decoded))](
                             caf::event_based_actor* requester) {
    requester->request(notifier, publish_timeout, caf::publish_atom::value, n)
        .then([respond](const frame& published) { respond(http::status::accepted, *published); },
              [respond](const caf::error& e) {
                protocol::error_reply err;
                err.code = protocol::error_code::internal;
                err.message = "notification not published: " + caf::to_string(e);
                respond(http::status::internal_server_error, protocol::encode(err));
              });
  });
}

void http_connection::write(response res) {
  auto keep_alive = res.keep_alive();
  auto shared = std::make_shared<response>(std::move(res));
  http::async_write(stream_, *shared,
                    [self = shared_from_this(), shared, keep_alive](
                        beast::error_code ec, std::size_t) { self->on_write(keep_alive, ec); });
}

void http_connection::on_write(bool keep_alive, beast::error_code ec) {
  if (ec || !keep_alive) {
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    return;
  }
  read();
}

} // namespace rtd
