// How the actor system's threads share a core with the I/O lanes that serve clients. Under
// load the lanes wake CAF's threads (its workers, its timer, detached actors such as the
// history store) hundreds of thousands of times a second, and each woken thread preempted the
// lane mid-batch: a context switch for a message or two. As SCHED_BATCH threads they keep
// their share of the CPU, but a wake-up no longer preempts: they run once the running thread
// blocks or its slice ends, and then take what waits in one go (npv calc50: 9% more
// calculations per second, fan-out unchanged).
//
// CAF 0.17's timer thread ("caf.clock") is also ten nice steps lower: it was woken each time
// an actor ended, once per calculation (rtd's scheduler no longer does that, see
// actors/actor_scheduler.hpp), and at that priority it takes such events in batches and still
// gets its share of a saturated core for the timers (nice 15 and 19 let 1 ms market ticks
// fall behind on a saturated core).
#pragma once

#include <caf/thread_hook.hpp>

namespace rtd {

/// Sets each CAF thread's scheduling as it starts (a thread hook runs on each new thread of
/// the actor system: `cfg.add_thread_hook<thread_scheduling_hook>()`).
class thread_scheduling_hook final : public caf::thread_hook {
public:
  static constexpr int timer_nice = 10;

  void init(caf::actor_system&) override {}
  void thread_started() override;
  void thread_terminates() override {}
};

} // namespace rtd
