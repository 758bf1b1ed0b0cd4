#include "auth/roles.hpp"

#include <doctest/doctest.h>

using namespace rtd::auth;

namespace {

claims holding(std::vector<std::string> roles) {
  return claims{"alice", clock::time_point{}, std::nullopt, std::move(roles)};
}

} // namespace

TEST_CASE("channel system and posting notifications need admin") {
  for (auto a : {action::subscribe_system, action::post_notification}) {
    CHECK(allows(holding({"admin"}), a));
    CHECK(allows(holding({"viewer", "admin"}), a));
    CHECK_FALSE(allows(holding({"analyst"}), a));
    CHECK_FALSE(allows(holding({}), a));
    CHECK(needed_roles(a) == "admin");
  }
}

TEST_CASE("calculate needs analyst or admin") {
  CHECK(allows(holding({"analyst"}), action::calculate));
  CHECK(allows(holding({"admin"}), action::calculate));
  CHECK_FALSE(allows(holding({"viewer"}), action::calculate));
  CHECK_FALSE(allows(holding({"Admin", "analysts"}), action::calculate)); // exact names
  CHECK_FALSE(allows(holding({""}), action::calculate));
  CHECK(needed_roles(action::calculate) == "analyst or admin");
}

TEST_CASE("everything else is open to any authenticated subject") {
  CHECK(allows(holding({}), action::other));
  CHECK(needed_roles(action::other).empty());
}

TEST_CASE("only channel system is a privileged subscription") {
  CHECK(subscribe_action("system") == action::subscribe_system);
  CHECK(subscribe_action("market_data") == action::other);
  CHECK(subscribe_action("notifications") == action::other);
  CHECK(subscribe_action("System") == action::other);
}
