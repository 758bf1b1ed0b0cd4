// Deterministic actor tests: CAF's test coordinator (virtual time, one message at a time)
// driven from doctest, and a frame sink that records what a client would receive.
#pragma once

#include "actors/interfaces.hpp"

#include <caf/all.hpp>
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace rtd::test {

/// A lane that runs every job at once, on the caller's thread: actor tests have no I/O
/// thread, and the test coordinator runs one actor at a time anyway.
class immediate_lane : public delivery_lane {
public:
  void execute(std::function<void()> job) override { job(); }

  static immediate_lane& instance() {
    static immediate_lane lane;
    return lane;
  }
};

/// Records frames as a client would receive them.
class recording_sink : public frame_sink {
public:
  recording_sink() : frame_sink(immediate_lane::instance()) {}

  /// Takes the frames received so far, parsed.
  std::vector<rapidjson::Document> take() {
    std::lock_guard<std::mutex> lock{mutex_};
    std::vector<rapidjson::Document> out;
    for (auto& f : frames_) {
      out.emplace_back();
      auto text = f->payload();
      out.back().Parse(text.data(), text.size());
      REQUIRE_FALSE(out.back().HasParseError());
    }
    frames_.clear();
    return out;
  }

  std::size_t pending() {
    std::lock_guard<std::mutex> lock{mutex_};
    return frames_.size();
  }

  /// How many frames each hand-over brought (a `send` of several is one write), since the
  /// last call.
  std::vector<std::size_t> take_batches() {
    std::lock_guard<std::mutex> lock{mutex_};
    return std::exchange(batches_, {});
  }

  bool closed() {
    std::lock_guard<std::mutex> lock{mutex_};
    return closed_;
  }

private:
  void accept(const outbound* items, std::size_t count) override {
    std::lock_guard<std::mutex> lock{mutex_};
    if (closed_)
      return;
    for (std::size_t i = 0; i < count; ++i)
      frames_.push_back(items[i].data);
    batches_.push_back(count);
  }

  void close_on_lane(close_code, std::string) override {
    std::lock_guard<std::mutex> lock{mutex_};
    closed_ = true;
  }

  void when_drained_on_lane(std::size_t, std::function<void()> f) override { f(); }

  std::mutex mutex_;
  std::vector<frame> frames_;
  std::vector<std::size_t> batches_;
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
