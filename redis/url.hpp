// Where Redis is: `--redis=redis://host:port[/db]`, parsed strictly so that a typo is refused
// at start rather than retried forever.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace rtd::redis {

/// A Redis server and the database to SELECT.
struct endpoint {
  std::string host;          ///< a name, an IPv4 address, or an IPv6 address without brackets
  std::uint16_t port = 6379; ///< Redis's own default when the URL names none
  std::uint32_t db = 0;

  /// The URL again, normalised (`redis://host:port/db`, IPv6 in brackets): for logs and status.
  std::string url() const;
};

/// Why a URL was refused, worded for the operator.
struct url_error {
  std::string message;
};

/// Parses `redis://host[:port][/db]`. Refused: any other scheme (`rediss://` with the reason:
/// Debian 12's hiredis 0.14 has no TLS), a user or password in the URL (they belong in
/// --redis-password-file or REDIS_PASSWORD), an empty or malformed host, a port outside
/// 1-65535, a database that is not a decimal number below 2^31, a query or fragment.
std::variant<endpoint, url_error> parse_url(std::string_view url);

} // namespace rtd::redis
