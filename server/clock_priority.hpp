// CAF 0.17's timer thread ("caf.clock") is woken each time an actor ends, to drop the actor's
// timeouts: once per calculation, since every calculation is its own actor. On a busy core the
// woken thread preempted the one running actors (1.7 context switches per calculation, a fifth
// of the worker's time in bench's calc50). At the lowest priority it no longer preempts, takes
// these events in batches when the core has room, and still gets its share of time for the
// timers, which tolerate a few milliseconds.
#pragma once

#include <caf/thread_hook.hpp>

namespace rtd {

/// Lowers CAF's timer thread to nice 19 as it starts (a thread hook runs on each new thread
/// of the actor system: `cfg.add_thread_hook<clock_priority_hook>()`).
class clock_priority_hook final : public caf::thread_hook {
public:
  void init(caf::actor_system&) override {}
  void thread_started() override;
  void thread_terminates() override {}
};

} // namespace rtd
