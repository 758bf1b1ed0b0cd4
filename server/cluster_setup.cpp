#include "server/cluster_setup.hpp"

#include "server/option_types.hpp"

#include <caf/all.hpp>
#include <caf/io/all.hpp>
#include <caf/openssl/all.hpp>

#include <openssl/ssl.h>

#include <memory>

namespace rtd {

namespace {

bool is_wildcard(const std::string& host) {
  return host.empty() || host == "0.0.0.0" || host == "::" || host == "[::]";
}

/// Loads the PEM files as CAF's OpenSSL module will for every link, so that a bad file is a
/// clear error at start rather than an exception in the middleman's thread at the first link.
std::string check_tls_files(const cluster_config& c) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx{SSL_CTX_new(TLS_method()), SSL_CTX_free};
  if (!ctx)
    return "cannot create an OpenSSL context";
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), c.tls_cert.c_str()) != 1)
    return "--cluster-tls-cert=" + c.tls_cert + " is not a readable PEM certificate chain";
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), c.tls_key.c_str(), SSL_FILETYPE_PEM) != 1)
    return "--cluster-tls-key=" + c.tls_key + " is not a readable PEM private key";
  if (SSL_CTX_check_private_key(ctx.get()) != 1)
    return "--cluster-tls-key=" + c.tls_key + " does not match --cluster-tls-cert=" + c.tls_cert;
  if (SSL_CTX_load_verify_locations(ctx.get(), c.tls_ca.c_str(), nullptr) != 1)
    return "--cluster-tls-ca=" + c.tls_ca + " is not a readable PEM file of CA certificates";
  return {};
}

} // namespace

std::string configure_cluster(caf::actor_system_config& config, const cluster_config& c) {
  if (!clustered(c))
    return c.join.empty() ? std::string{} : "--join needs this node's own --cluster-port";
  if (is_wildcard(c.host))
    return "--cluster-host=" + c.host +
           " is a wildcard; give the address other members reach this node at";
  const bool tls = !c.tls_cert.empty() || !c.tls_key.empty() || !c.tls_ca.empty();
  if (tls && (c.tls_cert.empty() || c.tls_key.empty() || c.tls_ca.empty()))
    return "--cluster-tls-cert, --cluster-tls-key and --cluster-tls-ca go together";
  bool off_loopback = !is_loopback(c.host);
  for (const auto& member : c.join) {
    auto address = parse_address(member);
    if (!address)
      return "--join=" + member + " is not host:port";
    off_loopback = off_loopback || !is_loopback(address->host);
  }
  if (off_loopback && !tls)
    return "node links that leave this machine need TLS: set --cluster-tls-cert, "
           "--cluster-tls-key and --cluster-tls-ca";
  if (tls)
    if (auto problem = check_tls_files(c); !problem.empty())
      return problem;
  config.load<caf::io::middleman>();
  // A silent link (a hung or cut-off member) is closed after the timeout; heartbeats keep a
  // healthy but idle one from looking silent.
  config.set("middleman.heartbeat-interval", caf::timespan{c.timeout / 4});
  config.set("middleman.connection-timeout", caf::timespan{c.timeout});
  if (tls) {
    config.load<caf::openssl::manager>();
    config.openssl_certificate = c.tls_cert;
    config.openssl_key = c.tls_key;
    config.openssl_cafile = c.tls_ca;
  }
  return {};
}

cluster_actor start_cluster(caf::actor_system& system, const cluster_config& config,
                            cluster_links links) {
  if (!clustered(config))
    return system.spawn(cluster, config, std::move(links));
  const bool tls = system.has_openssl_manager();
  links.connector = caf::actor_cast<connector_actor>(tls ? system.openssl_manager().actor_handle()
                                                         : system.middleman().actor_handle());
  auto actor = system.spawn(cluster, config, std::move(links));
  // Published with the peer interface only: the rest is for this node.
  auto peer = caf::actor_cast<cluster_peer_actor>(actor);
  auto port = tls ? caf::openssl::publish(peer, config.port, config.host.c_str(), true)
                  : system.middleman().publish(peer, config.port, config.host.c_str(), true);
  if (!port) {
    caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
    throw std::runtime_error("cannot listen for cluster members on " +
                             format_address(config.host, config.port) + ": " +
                             system.render(port.error()));
  }
  caf::anon_send(actor, caf::publish_atom::value, *port);
  return actor;
}

} // namespace rtd
