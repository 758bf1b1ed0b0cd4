// Which role each request needs (protocol.md, Authentication), as a table and two pure
// functions for the gateway and the session.
#pragma once

#include "auth/claims.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

namespace rtd::auth {

/// Requests, as far as permissions tell them apart.
enum class action {
  subscribe_system,  ///< subscribe to channel `system`
  post_notification, ///< POST /api/notifications
  calculate,         ///< a `calculate` message
  other,             ///< everything else
};

/// The roles of which one permits an action; an action with none is open to any
/// authenticated subject.
struct permission {
  action what;
  std::array<std::string_view, 2> roles; ///< empty views are unused slots
};

inline constexpr std::array<permission, 4> permissions{{
    {action::subscribe_system, {"admin"}},
    {action::post_notification, {"admin"}},
    {action::calculate, {"analyst", "admin"}},
    {action::other, {}},
}};

static_assert(
    [] {
      for (std::size_t i = 0; i < permissions.size(); ++i)
        if (permissions[i].what != static_cast<action>(i))
          return false;
      return true;
    }(),
    "permissions lists every action once, in the enum's order");

/// The action of subscribing to `channel`.
constexpr action subscribe_action(std::string_view channel) {
  return channel == "system" ? action::subscribe_system : action::other;
}

/// The row of `a` in the table.
constexpr const permission& permission_for(action a) {
  return permissions[static_cast<std::size_t>(a)];
}

/// Whether the bearer of `c` may perform `a`.
inline bool allows(const claims& c, action a) {
  const auto& needed = permission_for(a).roles;
  if (needed[0].empty())
    return true;
  return std::any_of(needed.begin(), needed.end(), [&](std::string_view role) {
    return !role.empty() && std::find(c.roles.begin(), c.roles.end(), role) != c.roles.end();
  });
}

/// The roles `a` needs, for a `forbidden` message: "admin", "analyst or admin"; empty when
/// any authenticated subject may.
inline std::string needed_roles(action a) {
  std::string text;
  for (auto role : permission_for(a).roles)
    if (!role.empty())
      text += (text.empty() ? "" : " or ") + std::string{role};
  return text;
}

} // namespace rtd::auth
