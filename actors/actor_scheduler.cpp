#include "actors/actor_scheduler.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/detail/thread_safe_actor_clock.hpp>
#include <caf/policy/work_sharing.hpp>
#include <caf/scheduler/coordinator.hpp>

#include <mutex>
#include <unordered_set>

namespace rtd {

namespace {

using caf::detail::thread_safe_actor_clock;

/// The scheduler's own clock (its timer thread runs that one), as seen by actors: every call
/// goes to it, except cancel_timeouts for an actor that never set a timeout, which has
/// nothing to cancel. (Derived from the clock type only because coordinator::clock() returns
/// that type.)
class timeout_tracking_clock final : public thread_safe_actor_clock {
public:
  explicit timeout_tracking_clock(thread_safe_actor_clock& clock) : clock_(clock) {}

  time_point now() const noexcept override { return clock_.now(); }

  duration_type difference(caf::atom_value measurement, long units, time_point t0,
                           time_point t1) const noexcept override {
    return clock_.difference(measurement, units, t0, t1);
  }

  void set_ordinary_timeout(time_point t, caf::abstract_actor* self, caf::atom_value type,
                            std::uint64_t id) override {
    track(self);
    clock_.set_ordinary_timeout(t, self, type, id);
  }

  void set_request_timeout(time_point t, caf::abstract_actor* self, caf::message_id id) override {
    track(self);
    clock_.set_request_timeout(t, self, id);
  }

  void set_multi_timeout(time_point t, caf::abstract_actor* self, caf::atom_value type,
                         std::uint64_t id) override {
    track(self);
    clock_.set_multi_timeout(t, self, type, id);
  }

  void cancel_ordinary_timeout(caf::abstract_actor* self, caf::atom_value type) override {
    clock_.cancel_ordinary_timeout(self, type);
  }

  void cancel_request_timeout(caf::abstract_actor* self, caf::message_id id) override {
    clock_.cancel_request_timeout(self, id);
  }

  void cancel_timeouts(caf::abstract_actor* self) override {
    {
      std::lock_guard<std::mutex> guard{mutex_};
      if (timed_.erase(self) == 0)
        return;
    }
    clock_.cancel_timeouts(self);
  }

  void schedule_message(time_point t, caf::strong_actor_ptr receiver,
                        caf::mailbox_element_ptr content) override {
    clock_.schedule_message(t, std::move(receiver), std::move(content));
  }

  void schedule_message(time_point t, caf::group target, caf::strong_actor_ptr sender,
                        caf::message content) override {
    clock_.schedule_message(t, std::move(target), std::move(sender), std::move(content));
  }

  void cancel_all() override { clock_.cancel_all(); }

private:
  void track(caf::abstract_actor* self) {
    std::lock_guard<std::mutex> guard{mutex_};
    timed_.insert(self);
  }

  thread_safe_actor_clock& clock_;
  std::mutex mutex_;
  /// Actors that set a timeout since they started; each leaves at its cancel_timeouts (its
  /// exit), so an address reused by a later actor is never taken for it.
  std::unordered_set<caf::abstract_actor*> timed_;
};

class rtd_scheduler final : public caf::scheduler::coordinator<caf::policy::work_sharing> {
public:
  using super = caf::scheduler::coordinator<caf::policy::work_sharing>;

  explicit rtd_scheduler(caf::actor_system& sys) : super(sys), clock_(super::clock()) {}

  thread_safe_actor_clock& clock() noexcept override { return clock_; }

private:
  timeout_tracking_clock clock_;
};

} // namespace

void use_rtd_scheduler(caf::actor_system_config& cfg) {
  cfg.module_factories.push_back(
      [](caf::actor_system& sys) -> caf::actor_system::module* { return new rtd_scheduler(sys); });
}

} // namespace rtd
