// Why the node is degraded: one reason per component that is (a Redis connection down, the
// history disk failing). Each component sets and clears its own entry, from any thread; the
// system monitor reads them all into system_status.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace rtd {

class health_board {
public:
  /// `component` is degraded because of `reason` (replacing what it said before).
  void set(std::string_view component, std::string reason) {
    std::lock_guard<std::mutex> lock{mutex_};
    reasons_.insert_or_assign(std::string{component}, std::move(reason));
  }

  /// `component` is healthy (again).
  void clear(std::string_view component) {
    std::lock_guard<std::mutex> lock{mutex_};
    if (auto it = reasons_.find(component); it != reasons_.end())
      reasons_.erase(it);
  }

  /// Every current reason, in the order of the components' names; empty: healthy.
  std::vector<std::string> reasons() const {
    std::lock_guard<std::mutex> lock{mutex_};
    std::vector<std::string> out;
    out.reserve(reasons_.size());
    for (const auto& [component, reason] : reasons_)
      out.push_back(reason);
    return out;
  }

private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string, std::less<>> reasons_;
};

} // namespace rtd
