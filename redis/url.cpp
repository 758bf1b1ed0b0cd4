#include "redis/url.hpp"

#include <algorithm>
#include <optional>

#include <arpa/inet.h>

namespace rtd::redis {

namespace {

constexpr std::string_view scheme = "redis://";

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/// A decimal number of at most `max`; no sign, no spaces.
std::optional<std::uint64_t> decimal(std::string_view text, std::uint64_t max) {
  if (text.empty() || text.size() > 10 || !std::all_of(text.begin(), text.end(), is_digit))
    return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text)
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  if (value > max)
    return std::nullopt;
  return value;
}

bool is_address(int family, std::string_view text) {
  unsigned char buffer[16];
  return ::inet_pton(family, std::string{text}.c_str(), buffer) == 1;
}

/// A DNS name (RFC 1123 labels) or, when every label is numeric, an IPv4 address.
bool valid_host(std::string_view host) {
  if (host.empty() || host.size() > 253)
    return false;
  bool numeric = true;
  std::size_t start = 0;
  while (start <= host.size()) {
    auto end = std::min(host.find('.', start), host.size());
    auto label = host.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (char c : label) {
      bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!letter && !is_digit(c) && c != '-')
        return false;
      numeric = numeric && is_digit(c);
    }
    start = end + 1;
  }
  return !numeric || is_address(AF_INET, host);
}

url_error refuse(std::string why) {
  return {"--redis " + std::move(why)};
}

} // namespace

std::string endpoint::url() const {
  bool v6 = host.find(':') != std::string::npos;
  return std::string{scheme} + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "/" +
         std::to_string(db);
}

std::variant<endpoint, url_error> parse_url(std::string_view url) {
  if (starts_with(url, "rediss://"))
    return refuse("rediss:// (TLS) is not supported: Debian 12's hiredis 0.14 has no TLS. Reach "
                  "Redis on a trusted network, or through a local TLS tunnel (stunnel, spiped) "
                  "given as redis://127.0.0.1:port");
  if (!starts_with(url, scheme)) {
    // Only the scheme is echoed: the rest might hold a password.
    auto named = url.find("://");
    return refuse("must be a redis://host:port[/db] URL, not " +
                  (named == std::string_view::npos ? std::string{"one without a scheme"}
                                                   : std::string{url.substr(0, named + 3)}));
  }
  auto rest = url.substr(scheme.size());
  if (rest.find('@') != std::string_view::npos)
    return refuse("must not hold a user or password: give the password in "
                  "--redis-password-file or the REDIS_PASSWORD environment variable");
  if (rest.find_first_of("?#") != std::string_view::npos)
    return refuse("takes no query or fragment: redis://host:port[/db]");
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  endpoint e;
  std::string_view port_text;
  bool has_port = false;
  if (starts_with(authority, "[")) {
    auto close = authority.find(']');
    if (close == std::string_view::npos)
      return refuse("has an unclosed '[' in its host");
    auto host = authority.substr(1, close - 1);
    if (!is_address(AF_INET6, host))
      return refuse("has an invalid IPv6 address in brackets: " + std::string{host});
    e.host = std::string{host};
    auto after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':')
      return refuse("has text after the bracketed host: use [address]:port");
    has_port = !after.empty();
    port_text = has_port ? after.substr(1) : std::string_view{};
  } else {
    auto colon = authority.find(':');
    if (colon != std::string_view::npos && authority.find(':', colon + 1) != std::string_view::npos)
      return refuse("has more than one ':' in its host: write an IPv6 address in brackets");
    auto host = authority.substr(0, colon);
    if (!valid_host(host))
      return refuse("has an invalid host '" + std::string{host} +
                    "': a DNS name, an IPv4 address or [IPv6]");
    e.host = std::string{host};
    has_port = colon != std::string_view::npos;
    port_text = has_port ? authority.substr(colon + 1) : std::string_view{};
  }
  if (has_port) {
    auto port = decimal(port_text, 65535);
    if (!port || *port == 0)
      return refuse("has an invalid port '" + std::string{port_text} + "': 1 to 65535");
    e.port = static_cast<std::uint16_t>(*port);
  }
  if (slash != std::string_view::npos) {
    auto db_text = rest.substr(slash + 1);
    auto db = decimal(db_text, 0x7FFFFFFF);
    if (!db)
      return refuse("has an invalid database '" + std::string{db_text} +
                    "' after '/': a number such as 0 (Redis's default has 16, 0 to 15)");
    e.db = static_cast<std::uint32_t>(*db);
  }
  return e;
}

} // namespace rtd::redis
