// How the node's threads share a core. Under load the I/O lanes and CAF's threads (its
// workers, its timer, detached actors such as the history store) wake each other hundreds of
// thousands of times a second, and a woken thread preempted the running one mid-batch: a
// context switch for a message or two. As SCHED_BATCH threads they keep their share of the
// CPU, but a wake-up no longer preempts: a woken thread runs once the running one blocks or
// its slice ends, and then takes what waits in one go. CAF's threads alone: npv calc50 9%
// more calculations per second; the lanes too: 31% more (history on; 7% with it off),
// fan-out and ping unchanged.
//
// CAF 0.17's timer thread ("caf.clock") is also ten nice steps lower: it was woken each time
// an actor ended, once per calculation (rtd's scheduler no longer does that, see
// actors/actor_scheduler.hpp), and at that priority it takes such events in batches and still
// gets its share of a saturated core for the timers (nice 15 and 19 let 1 ms market ticks
// fall behind on a saturated core).
#pragma once

#include <caf/thread_hook.hpp>

namespace rtd {

/// Makes the calling thread SCHED_BATCH, and so every thread it starts afterwards: call it
/// in main before the actor system and the lanes start. A failure leaves the kernel's
/// default (slower, never wrong).
void use_batch_scheduling();

/// Lowers CAF's timer thread as it starts (a thread hook runs on each new thread of the actor
/// system: `cfg.add_thread_hook<thread_scheduling_hook>()`).
class thread_scheduling_hook final : public caf::thread_hook {
public:
  static constexpr int timer_nice = 10;

  void init(caf::actor_system&) override {}
  void thread_started() override;
  void thread_terminates() override {}
};

} // namespace rtd
