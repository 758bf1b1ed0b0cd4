// The actor system's scheduler: CAF's work sharing (idle workers block instead of polling with
// sleeps, which measured as ~10% of a core of context switches under fan-out), with a clock
// that lets an actor that never set a timeout end without waking the timer thread. CAF 0.17
// calls clock().cancel_timeouts at every actor's exit, and its clock wakes its thread for
// each (a futex call in the exiting actor's worker, a context switch into the timer thread):
// once per calculation, since every calculation is its own actor.
#pragma once

#include <caf/fwd.hpp>

namespace rtd {

/// Makes the actor system of `cfg` run on that scheduler (instead of `scheduler.policy`'s).
void use_rtd_scheduler(caf::actor_system_config& cfg);

} // namespace rtd
