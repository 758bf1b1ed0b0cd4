#include "gateway/connection_registry.hpp"

#include "gateway/ws_connection.hpp"

#include <vector>

namespace rtd {

void connection_registry::add(std::uint64_t id, std::weak_ptr<ws_connection> connection) {
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

void connection_registry::for_each(const std::function<void(ws_connection&)>& f) {
  std::vector<std::shared_ptr<ws_connection>> live;
  {
    std::lock_guard<std::mutex> lock{mutex_};
    for (auto& [id, weak] : connections_)
      if (auto c = weak.lock())
        live.push_back(std::move(c));
  }
  // Outside the lock: `f` may end a connection, which calls remove().
  for (auto& c : live)
    f(*c);
}

bool connection_registry::wait_empty(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock{mutex_};
  return emptied_.wait_until(lock, deadline, [this] { return connections_.empty(); });
}

} // namespace rtd
