#include "gateway/http_routes.hpp"

#include "auth/roles.hpp"
#include "gateway/context.hpp"
#include "gateway/http_responses.hpp"
#include "gateway/static_files.hpp"
#include "protocol/codec.hpp"

#include <caf/all.hpp>

namespace rtd {

namespace {

constexpr auto publish_timeout = std::chrono::seconds(5);

std::string health_body(const gateway_context& ctx) {
  double uptime =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.started).count();
  return R"({"status":"ok","node":")" + ctx.deps.sessions->node + R"(","uptime_s":)" +
         std::to_string(uptime) + R"(,"connections":)" +
         std::to_string(ctx.deps.traffic->connections_active.load()) + "}";
}

bool is_json(const http_request& req) {
  auto type = req[http::field::content_type];
  auto base = type.substr(0, type.find(';'));
  while (!base.empty() && base.back() == ' ')
    base.remove_suffix(1);
  return beast::iequals(base, "application/json");
}

/// POST /api/notifications: JSON only (a cross-site form cannot send it), rate-limited
/// node-wide, admin only when authentication is required.
void post_notification(const http_request& req, gateway_context& ctx, http_responder respond) {
  auto version = req.version();
  auto keep_alive = req.keep_alive();
  auto refuse = [&](http::status status, protocol::error_code code, std::string message) {
    respond(error_response(status, code, std::move(message), version, keep_alive));
  };
  if (!is_json(req))
    return refuse(http::status::unsupported_media_type, protocol::error_code::invalid_message,
                  "Content-Type must be application/json");
  if (auto denied = ctx.authorize(req, auth::action::post_notification))
    return refuse(denied->status, denied->code, std::move(denied->message));
  if (!ctx.post_limiter.allow())
    return refuse(http::status::too_many_requests, protocol::error_code::rate_limited,
                  "too many notifications posted: at most " +
                      std::to_string(static_cast<int>(ctx.config.post_rate)) + " per second");
  auto decoded = protocol::decode_notification_post(req.body());
  if (auto err = std::get_if<protocol::decode_error>(&decoded))
    return refuse(http::status::bad_request, err->code, std::move(err->message));
  // Ask the notifier from a short-lived actor: an I/O thread must never block on an actor.
  ctx.system.spawn([notifier = ctx.deps.notifier, respond = std::move(respond), version, keep_alive,
                    n = std::get<protocol::notification>(std::move(decoded))](
                       caf::event_based_actor* requester) {
    requester->request(notifier, publish_timeout, caf::publish_atom::value, n)
        .then(
            [=](const frame& published) {
              respond(json_response(http::status::accepted, std::string{published->payload()},
                                    version, keep_alive));
            },
            [=](const caf::error& e) {
              respond(error_response(
                  http::status::internal_server_error, protocol::error_code::internal,
                  "notification not published: " + caf::to_string(e), version, keep_alive));
            });
  });
}

/// The answer to HEAD is GET's without its body.
http_response without_body(http_response res) {
  auto length = res.body().size();
  res.body().clear();
  res.content_length(length);
  return res;
}

} // namespace

void route_http(const http_request& req, std::string_view path, gateway_context& ctx,
                http_responder respond) {
  const auto method = req.method();
  const bool head = method == http::verb::head;
  const bool get = method == http::verb::get || head;
  auto version = req.version();
  auto keep_alive = req.keep_alive();
  auto answer = [&](http_response res) {
    respond(head ? without_body(std::move(res)) : std::move(res));
  };
  if (path == "/health" && get)
    return answer(json_response(http::status::ok, health_body(ctx), version, keep_alive));
  if (path == "/ready" && get) {
    if (ctx.accepting)
      return answer(json_response(http::status::ok, R"({"status":"ready"})", version, keep_alive));
    return answer(json_response(http::status::service_unavailable, R"({"status":"shutting_down"})",
                                version, keep_alive));
  }
  if (path == "/metrics" && get) {
    if (auto denied = ctx.authorize_scrape(req))
      return answer(error_response(denied->status, denied->code, std::move(denied->message),
                                   version, keep_alive));
    auto res = json_response(http::status::ok, ctx.deps.metrics->serialize(), version, keep_alive);
    res.set(http::field::content_type,
            beast::string_view{metrics::content_type.data(), metrics::content_type.size()});
    return answer(std::move(res));
  }
  if (path == "/api/notifications") {
    if (method == http::verb::post)
      return post_notification(req, ctx, std::move(respond));
    auto res =
        error_response(http::status::method_not_allowed, protocol::error_code::invalid_message,
                       "use POST", version, keep_alive);
    res.set(http::field::allow, "POST");
    return answer(std::move(res));
  }
  if (get) {
    if (auto file = load_static_file(ctx.config.static_dir, path))
      return answer(file_response(std::move(*file), version, keep_alive));
  }
  answer(
      error_response(http::status::not_found, protocol::error_code::not_found,
                     "no route for " + std::string{req.method_string()} + " " + std::string{path},
                     version, keep_alive));
}

} // namespace rtd
