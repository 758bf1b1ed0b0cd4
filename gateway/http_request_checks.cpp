#include "gateway/http_request_checks.hpp"

#include <iterator>

namespace rtd {

std::string_view target_path(std::string_view target) {
  if (!target.empty() && target.front() != '/') {
    // Absolute form (RFC 9112 3.2.2): scheme://authority/path
    auto scheme = target.find("://");
    if (scheme == std::string_view::npos)
      return {};
    auto slash = target.find('/', scheme + 3);
    target = slash == std::string_view::npos ? std::string_view{"/"} : target.substr(slash);
  }
  return target.substr(0, target.find('?'));
}

std::optional<std::string> malformed(const http::request<http::string_body>& req) {
  auto hosts = req.equal_range(http::field::host);
  auto host_count = std::distance(hosts.first, hosts.second);
  if (req.version() >= 11 ? host_count != 1 : host_count > 1)
    return "exactly one Host header is required";
  auto te = req.equal_range(http::field::transfer_encoding);
  if (te.first != te.second) {
    if (std::next(te.first) != te.second || !beast::iequals(te.first->value(), "chunked"))
      return "unsupported Transfer-Encoding (only chunked is accepted)";
    if (req.count(http::field::content_length) > 0)
      return "both Content-Length and Transfer-Encoding";
  }
  return std::nullopt;
}

} // namespace rtd
