// CAF 0.17's timer thread ("caf.clock") is woken each time an actor ends, to drop the actor's
// timeouts: once per calculation, since every calculation is its own actor. On a busy core the
// woken thread preempted the one running actors (1.4 context switches per calculation in
// bench's calc50, about a fifth of the worker's time). Ten nice steps lower it mostly waits
// for a pause and takes these events in batches (0.4 switches per calculation), and it still
// gets its share of a saturated core for the timers (nice 15 and 19 saved a little more but
// let 1 ms market ticks fall behind on a saturated core).
#pragma once

#include <caf/thread_hook.hpp>

namespace rtd {

/// Lowers CAF's timer thread by timer_nice as it starts (a thread hook runs on each new
/// thread of the actor system: `cfg.add_thread_hook<clock_priority_hook>()`).
class clock_priority_hook final : public caf::thread_hook {
public:
  static constexpr int timer_nice = 10;

  void init(caf::actor_system&) override {}
  void thread_started() override;
  void thread_terminates() override {}
};

} // namespace rtd
