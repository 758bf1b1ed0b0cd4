#include "server/thread_scheduling.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

namespace rtd {

void use_batch_scheduling() {
  // A thread keeps its nice value under SCHED_BATCH, and the threads it starts inherit both.
  sched_param none{};
  if (sched_setscheduler(0, SCHED_BATCH, &none) != 0)
    spdlog::debug("cannot make the node's threads SCHED_BATCH: {}", std::strerror(errno));
}

void thread_scheduling_hook::thread_started() {
  // CAF names the thread before it calls the hooks.
  char name[16] = {};
  if (pthread_getname_np(pthread_self(), name, sizeof(name)) != 0 ||
      std::strcmp(name, "caf.clock") != 0)
    return;
  auto tid = static_cast<id_t>(gettid());
  errno = 0;
  auto own = getpriority(PRIO_PROCESS, tid);
  if (errno != 0 || setpriority(PRIO_PROCESS, tid, std::min(own + timer_nice, 19)) != 0)
    spdlog::debug("cannot lower the priority of CAF's timer thread: {}", std::strerror(errno));
}

} // namespace rtd
