#include "actors/cluster_messages.hpp"

#include <algorithm>
#include <charconv>
#include <tuple>

namespace rtd {

std::optional<member_address> parse_address(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    return std::nullopt;
  auto host = text.substr(0, colon);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']')
      return std::nullopt;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return std::nullopt; // an IPv6 host needs brackets
  }
  auto digits = text.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc{} || end != digits.data() + digits.size() || port == 0 || port > 65535)
    return std::nullopt;
  return member_address{std::string{host}, static_cast<std::uint16_t>(port)};
}

std::string format_address(const std::string& host, std::uint16_t port) {
  auto text = host.find(':') == std::string::npos ? host : "[" + host + "]";
  return text + ":" + std::to_string(port);
}

bool is_senior(const member_view& a, const member_view& b) {
  return std::tie(a.started, a.name, a.address) < std::tie(b.started, b.name, b.address);
}

void choose_leader(cluster_view& view) {
  std::sort(view.members.begin(), view.members.end(), is_senior);
  view.leader.clear();
  for (auto& m : view.members) {
    m.leader = m.up && view.leader.empty();
    if (m.leader)
      view.leader = m.name;
  }
}

} // namespace rtd
