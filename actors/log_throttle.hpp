// Repeated warnings (accept failures, disk errors, clients closed for limits) logged at most
// once per period, with a count of what was held back: a storm of them cannot fill the disk.
#pragma once

#include "log/log.hpp"

#include <chrono>
#include <mutex>
#include <string>

namespace rtd {

class log_throttle {
public:
  using clock = std::chrono::steady_clock;

  explicit log_throttle(clock::duration period) : period_(period) {}

  /// Logs `event` at `level` unless a line was logged less than a period ago; any thread.
  void log(spdlog::level::level_enum level, std::string_view event, const std::string& message,
           std::vector<log::field> fields = {}) {
    std::unique_lock<std::mutex> lock{mutex_};
    auto now = clock::now();
    if (logged_once_ && now - last_ < period_) {
      ++held_back_;
      return;
    }
    auto held = held_back_;
    held_back_ = 0;
    last_ = now;
    logged_once_ = true;
    lock.unlock();
    if (held > 0)
      fields.push_back({"held_back", std::to_string(held)});
    log::write(level, event, message, fields);
  }

private:
  std::mutex mutex_;
  clock::duration period_;
  clock::time_point last_{};
  bool logged_once_ = false;
  std::uint64_t held_back_ = 0;
};

} // namespace rtd
