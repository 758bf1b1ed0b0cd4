// TLS for the gateway: the stream type of a TLS connection, and the server's SSL context made
// from --tls-cert and --tls-key. Internal to gateway/; only the TLS code includes it (OpenSSL's
// headers are heavy).
#pragma once

#include "gateway/beast.hpp"

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>

#include <memory>
#include <string>

namespace rtd {

namespace ssl = net::ssl;

/// HTTP and then WebSocket over TLS, on a lane's socket with Beast's timeouts.
using tls_stream = beast::ssl_stream<http_stream>;

/// A server context for TLS 1.2 and later with the certificate chain and key from PEM files;
/// throws std::runtime_error naming the file and OpenSSL's reason when they do not load.
std::shared_ptr<ssl::context> make_tls_context(const std::string& cert_file,
                                               const std::string& key_file);

} // namespace rtd
