#include "gateway/context.hpp"

#include "gateway/bearer_token.hpp"

#include <caf/all.hpp>
#include <openssl/crypto.h>

namespace rtd {

shared_rate_limit::shared_rate_limit(double rate, double burst)
    : limiter_(rate, burst, std::chrono::hours(24)) {}

bool shared_rate_limit::allow() {
  std::lock_guard<std::mutex> lock{mutex_};
  return limiter_.check(rate_limiter::clock::now()) == rate_limiter::verdict::allow;
}

gateway_context::gateway_context(gateway_config config, gateway_dependencies deps,
                                 caf::actor_system& system)
    : config(std::move(config)), deps(std::move(deps)),
      system(system), origins{this->config.allowed_origins},
      post_limiter(this->config.post_rate, this->config.post_burst),
      warnings(std::chrono::seconds(10)) {
  for (std::size_t i = 0; i < this->config.io_threads; ++i) {
    lanes.push_back(std::make_unique<io_lane>(this->config.send_batch));
    lanes.back()->count_into(&this->deps.metrics->lane(i));
  }
}

void gateway_context::notify(protocol::notification_level level, std::string message) const {
  protocol::notification n;
  n.category = protocol::notification_category::system;
  n.level = level;
  n.message = std::move(message);
  caf::anon_send(deps.notifier, std::move(n));
}

auth::verification gateway_context::verify(const http::request<http::string_body>& req) const {
  if (!deps.verifier)
    return auth::rejection{"authentication is not configured"};
  auto token = bearer_token(req);
  if (token.empty())
    return auth::rejection{"no token"};
  return deps.verifier->verify(token, auth::clock::now());
}

std::optional<http_refusal>
gateway_context::authorize_scrape(const http::request<http::string_body>& req) const {
  if (!config.require_auth)
    return std::nullopt;
  auto token = bearer_token(req);
  // Compared in constant time: the token is a secret.
  if (!metrics_token.empty() && token.size() == metrics_token.size() &&
      CRYPTO_memcmp(token.data(), metrics_token.data(), token.size()) == 0)
    return std::nullopt;
  return authorize(req, auth::action::post_notification); // an admin may scrape too
}

std::optional<http_refusal> gateway_context::authorize(const http::request<http::string_body>& req,
                                                       auth::action what) const {
  if (!config.require_auth)
    return std::nullopt;
  auto verified = verify(req);
  if (auto no = std::get_if<auth::rejection>(&verified))
    return http_refusal{http::status::unauthorized, protocol::error_code::unauthorized,
                        "unauthorized: " + no->reason};
  if (!auth::allows(std::get<auth::claims>(verified), what))
    return http_refusal{http::status::forbidden, protocol::error_code::forbidden,
                        "forbidden: needs role " + auth::needed_roles(what)};
  return std::nullopt;
}

} // namespace rtd
