#include "actors/calculation_pool.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

namespace rtd {

calculation_pool::calculation_pool(calculation_pool_config config) {
  auto threads = std::max<std::size_t>(config.threads, 1);
  workers_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i)
    workers_.emplace_back([this, nice = config.nice] { work(nice); });
}

calculation_pool::~calculation_pool() {
  stop();
}

void calculation_pool::submit(std::function<void()> chunk) {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    if (stopping_)
      return;
    queue_.push_back(std::move(chunk));
  }
  ready_.notify_one();
}

void calculation_pool::stop() {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    if (stopping_)
      return;
    stopping_ = true;
    queue_.clear();
  }
  ready_.notify_all();
  for (auto& w : workers_)
    w.join();
}

std::size_t calculation_pool::queued() const {
  std::lock_guard<std::mutex> lock{mutex_};
  return queue_.size();
}

void calculation_pool::work(int nice) {
  pthread_setname_np(pthread_self(), "rtd-calc");
  // On Linux a thread id names one thread for setpriority, so only this worker is lowered,
  // relative to the priority the process was started with.
  auto tid = static_cast<id_t>(gettid());
  errno = 0;
  auto own = getpriority(PRIO_PROCESS, tid);
  if (nice > 0 && errno == 0 && setpriority(PRIO_PROCESS, tid, std::min(own + nice, 19)) != 0)
    spdlog::warn("calculation worker: cannot lower its priority by {}: {}", nice,
                 std::strerror(errno));
  for (;;) {
    std::function<void()> chunk;
    {
      std::unique_lock<std::mutex> lock{mutex_};
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_)
        return;
      chunk = std::move(queue_.front());
      queue_.pop_front();
    }
    chunk();
  }
}

} // namespace rtd
