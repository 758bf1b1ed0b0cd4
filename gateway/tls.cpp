#include "gateway/tls.hpp"

#include <stdexcept>

namespace rtd {

std::shared_ptr<ssl::context> make_tls_context(const std::string& cert_file,
                                               const std::string& key_file) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                   ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  auto load = [&](const char* what, const std::string& file, auto&& f) {
    beast::error_code ec;
    f(ec);
    if (ec)
      throw std::runtime_error(std::string{"cannot load the TLS "} + what + " " + file + ": " +
                               ec.message());
  };
  load("certificate", cert_file,
       [&](beast::error_code& ec) { ctx->use_certificate_chain_file(cert_file, ec); });
  load("key", key_file,
       [&](beast::error_code& ec) { ctx->use_private_key_file(key_file, ssl::context::pem, ec); });
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1)
    throw std::runtime_error("the TLS key " + key_file + " does not match the certificate " +
                             cert_file);
  return ctx;
}

} // namespace rtd
