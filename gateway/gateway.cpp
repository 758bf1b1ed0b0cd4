#include "gateway/gateway.hpp"

#include "auth/secret.hpp"
#include "gateway/io_server.hpp"
#include "gateway/tls.hpp"

#include <caf/all.hpp>

namespace rtd {

namespace {

struct gateway_state {
  static inline const char* name = "gateway";
  std::shared_ptr<io_server> server;
};

gateway_actor::behavior_type gateway(gateway_actor::stateful_pointer<gateway_state> self,
                                     std::shared_ptr<io_server> server) {
  self->state.server = std::move(server);
  return {
      [self](caf::get_atom) { return self->state.server->port(); },
      [self](caf::close_atom) {
        self->state.server->stop();
        self->quit();
        return caf::ok_atom::value;
      },
  };
}

} // namespace

gateway_actor start_gateway(caf::actor_system& system, gateway_config config,
                            gateway_dependencies deps) {
  auto context = std::make_shared<gateway_context>(std::move(config), std::move(deps), system);
  if (!context->config.metrics_token_file.empty()) {
    auto token = auth::read_secret_file(context->config.metrics_token_file);
    if (auto err = std::get_if<auth::secret_error>(&token))
      throw std::runtime_error("--metrics-token-file: " + err->message);
    context->metrics_token = std::get<std::string>(std::move(token));
  }
  if (!context->config.tls_cert.empty() || !context->config.tls_key.empty())
    context->tls = make_tls_context(context->config.tls_cert, context->config.tls_key);
  auto server = std::make_shared<io_server>(context);
  server->start();
  return system.spawn(gateway, std::move(server));
}

} // namespace rtd
