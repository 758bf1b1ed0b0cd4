#include "gateway/connection_registry.hpp"

#include <vector>

namespace rtd {

void connection_registry::add(std::uint64_t id, std::weak_ptr<frame_sink> connection) {
  std::lock_guard<std::mutex> lock{mutex_};
  connections_.emplace(id, std::move(connection));
}

void connection_registry::remove(std::uint64_t id) {
  std::lock_guard<std::mutex> lock{mutex_};
  connections_.erase(id);
  if (connections_.empty())
    emptied_.notify_all();
}

std::size_t connection_registry::size() const {
  std::lock_guard<std::mutex> lock{mutex_};
  return connections_.size();
}

void connection_registry::close_all(close_code code, const std::string& reason) {
  std::vector<std::shared_ptr<frame_sink>> live;
  {
    std::lock_guard<std::mutex> lock{mutex_};
    for (auto& [id, weak] : connections_)
      if (auto c = weak.lock())
        live.push_back(std::move(c));
  }
  // Outside the lock: closing may complete at once and call remove().
  for (auto& c : live)
    c->close(code, reason);
}

bool connection_registry::wait_empty(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock{mutex_};
  return emptied_.wait_until(lock, deadline, [this] { return connections_.empty(); });
}

} // namespace rtd
