// rtd's scheduler: timeouts, requests that time out and delayed messages work as with CAF's
// own, and actors that never set a timeout end without it.
#include "actors/actor_scheduler.hpp"

#include <caf/all.hpp>
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <vector>

using namespace std::chrono_literals;

namespace {

struct scheduler_fixture {
  static caf::actor_system_config& config() {
    static caf::actor_system_config cfg;
    static bool done = [] {
      rtd::use_rtd_scheduler(cfg);
      cfg.set("scheduler.max-threads", 2);
      return true;
    }();
    (void)done;
    return cfg;
  }

  caf::actor_system sys{config()};
  caf::scoped_actor self{sys};
};

} // namespace

TEST_CASE_FIXTURE(scheduler_fixture, "a receive timeout fires, and a quiet actor's exit is clean") {
  auto waiter = sys.spawn(
      [](caf::event_based_actor* a, caf::actor reply_to) -> caf::behavior {
        return {[](int) {}, caf::after(20ms) >>
                                [a, reply_to] {
                                  a->send(reply_to, caf::ok_atom::value);
                                  a->quit();
                                }};
      },
      caf::actor{self});
  // Many actors that never set a timeout come and go meanwhile.
  for (int i = 0; i < 1000; ++i)
    sys.spawn([](caf::event_based_actor* a) { a->quit(); });
  bool fired = false;
  self->receive([&](caf::ok_atom) { fired = true; },
                caf::after(5s) >> [] { FAIL("the receive timeout did not fire"); });
  CHECK(fired);
}

TEST_CASE_FIXTURE(scheduler_fixture, "a request times out, and a delayed message arrives") {
  // Takes the request and keeps it unanswered.
  auto mute = sys.spawn([](caf::event_based_actor* a) -> caf::behavior {
    auto kept = std::make_shared<std::vector<caf::response_promise>>();
    return {[a, kept](int) { kept->push_back(a->make_response_promise()); }};
  });
  bool timed_out = false;
  self->request(mute, 20ms, 1)
      .receive([](caf::message&) { FAIL("a mute actor answered"); },
               [&](caf::error& e) { timed_out = e == caf::sec::request_timeout; });
  CHECK(timed_out);
  self->send_exit(mute, caf::exit_reason::user_shutdown);

  self->delayed_send(self, 20ms, caf::tick_atom::value);
  bool arrived = false;
  self->receive([&](caf::tick_atom) { arrived = true; },
                caf::after(5s) >> [] { FAIL("the delayed message did not arrive"); });
  CHECK(arrived);
}
