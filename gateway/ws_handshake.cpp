#include "gateway/ws_handshake.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>

namespace rtd {

namespace {

constexpr std::string_view websocket_guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::string_view view(beast::string_view s) {
  return {s.data(), s.size()};
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}

std::string accept_key(std::string_view key) {
  // Fetched once: OpenSSL 3 looks the algorithm up on every SHA1() call, which cost more
  // than the rest of the upgrade.
  static EVP_MD* const sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  std::string text{key};
  text.append(websocket_guid);
  unsigned char digest[SHA_DIGEST_LENGTH];
  EVP_Digest(text.data(), text.size(), digest, nullptr, sha1, nullptr);
  unsigned char encoded[4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1];
  auto n = EVP_EncodeBlock(encoded, digest, SHA_DIGEST_LENGTH);
  return {reinterpret_cast<const char*>(encoded), static_cast<std::size_t>(n)};
}

/// The host[:port] of an origin such as "https://example.com:8443".
std::string_view origin_authority(std::string_view origin) {
  auto scheme_end = origin.find("://");
  return scheme_end == std::string_view::npos ? std::string_view{} : origin.substr(scheme_end + 3);
}

bool origin_allowed(const http::request<http::string_body>& req, const origin_policy& policy) {
  auto it = req.find(http::field::origin);
  if (it == req.end())
    return true; // not a browser: no cross-site risk
  auto origin = view(it->value());
  for (const auto& allowed : policy.allowed)
    if (allowed == "*" || iequals(allowed, origin))
      return true;
  return iequals(origin_authority(origin), view(req[http::field::host]));
}

} // namespace

bool has_token(std::string_view header, std::string_view token) {
  while (!header.empty()) {
    auto comma = header.find(',');
    if (iequals(trim(header.substr(0, comma)), token))
      return true;
    if (comma == std::string_view::npos)
      break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

bool valid_websocket_key(std::string_view key) {
  if (key.size() != 24 || key.substr(22) != "==")
    return false;
  for (std::size_t i = 0; i < 22; ++i)
    if (base64_value(key[i]) < 0)
      return false;
  // 16 bytes leave 4 bits of the last character unused: canonical text has them zero.
  return (base64_value(key[21]) & 0x0F) == 0;
}

std::variant<std::string, handshake_refusal>
check_upgrade(const http::request<http::string_body>& req, const origin_policy& origins) {
  if (req.method() != http::verb::get || req.version() < 11)
    return handshake_refusal{http::status::bad_request,
                             "a WebSocket upgrade is a GET over HTTP/1.1"};
  if (!has_token(view(req[http::field::connection]), "upgrade") ||
      !iequals(trim(view(req[http::field::upgrade])), "websocket"))
    return handshake_refusal{http::status::upgrade_required,
                             "this endpoint speaks WebSocket: send Upgrade: websocket"};
  if (trim(view(req[http::field::sec_websocket_version])) != "13")
    return handshake_refusal{http::status::upgrade_required, "Sec-WebSocket-Version must be 13"};
  auto key = trim(view(req[http::field::sec_websocket_key]));
  if (!valid_websocket_key(key))
    return handshake_refusal{http::status::bad_request,
                             "Sec-WebSocket-Key must be 16 bytes in base64"};
  if (!origin_allowed(req, origins))
    return handshake_refusal{http::status::forbidden, "origin not allowed (see --allowed-origins)"};
  return accept_key(key);
}

http::response<http::empty_body> switching_protocols(const std::string& accept, unsigned version) {
  http::response<http::empty_body> res{http::status::switching_protocols, version};
  res.set(http::field::server, "rtd");
  res.set(http::field::upgrade, "websocket");
  res.set(http::field::connection, "Upgrade");
  res.set(http::field::sec_websocket_accept, accept);
  return res;
}

} // namespace rtd
