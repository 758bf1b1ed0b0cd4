// Deterministic actor tests: CAF's test coordinator (virtual time, one message at a time)
// driven from doctest, and a frame sink that records what a client would receive.
#pragma once

#include "actors/interfaces.hpp"

#include <caf/all.hpp>
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <mutex>
#include <string>
#include <vector>

namespace rtd::test {

/// Records frames as a client would receive them.
class recording_sink : public frame_sink {
public:
  delivery_group& group() override { return direct_delivery::instance(); }

  bool send(frame f) override {
    std::lock_guard<std::mutex> lock{mutex_};
    if (closed_)
      return false;
    frames_.push_back(std::move(f));
    return true;
  }

  void close(close_code, std::string) override {
    std::lock_guard<std::mutex> lock{mutex_};
    closed_ = true;
  }

  /// Takes the frames received so far, parsed.
  std::vector<rapidjson::Document> take() {
    std::lock_guard<std::mutex> lock{mutex_};
    std::vector<rapidjson::Document> out;
    for (auto& f : frames_) {
      out.emplace_back();
      out.back().Parse(f->data(), f->size());
      REQUIRE_FALSE(out.back().HasParseError());
    }
    frames_.clear();
    return out;
  }

  std::size_t pending() {
    std::lock_guard<std::mutex> lock{mutex_};
    return frames_.size();
  }

private:
  std::mutex mutex_;
  std::vector<frame> frames_;
  bool closed_ = false;
};

inline std::string str(const rapidjson::Value& v, const char* key) {
  REQUIRE(v.HasMember(key));
  REQUIRE(v[key].IsString());
  return v[key].GetString();
}

inline std::uint64_t u64(const rapidjson::Value& v, const char* key) {
  REQUIRE(v.HasMember(key));
  REQUIRE(v[key].IsUint64());
  return v[key].GetUint64();
}

struct fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys;
  caf::scoped_actor self;
  caf::scheduler::test_coordinator& sched;

  static caf::actor_system_config& init(caf::actor_system_config& c) {
    c.set("scheduler.policy", caf::atom("testing"));
    c.set("logger.verbosity", caf::atom("quiet"));
    return c;
  }

  fixture()
      : sys(init(cfg)), self(sys, true),
        sched(dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler())) {}

  ~fixture() { sched.run(); }

  /// Runs until no actor has anything left to do.
  void run() { sched.run(); }

  /// Advances virtual time by `d`, then runs what became due.
  void advance(caf::timespan d) {
    sched.advance_time(d);
    sched.run();
  }

  /// A blocking request answered inline by the test coordinator.
  template <class R, class Handle, class... Ts> R ask(const Handle& h, Ts&&... xs) {
    R result{};
    sched.inline_next_enqueue();
    self->request(h, caf::infinite, std::forward<Ts>(xs)...)
        .receive([&](R& x) { result = std::move(x); }, [&](caf::error& e) { FAIL(sys.render(e)); });
    return result;
  }

  /// Kills `h` and lets it go (actors with pending timers must die before the fixture ends).
  template <class Handle> void kill(const Handle& h) {
    caf::anon_send_exit(h, caf::exit_reason::user_shutdown);
    run();
  }
};

} // namespace rtd::test
