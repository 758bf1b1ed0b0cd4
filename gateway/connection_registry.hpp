// The gateway's live WebSocket connections, so that shutdown can close every one.
#pragma once

#include "actors/frame_sink.hpp"

#include <functional>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace rtd {

class ws_connection;

class connection_registry {
public:
  void add(std::uint64_t id, std::weak_ptr<ws_connection> connection);
  void remove(std::uint64_t id);
  std::size_t size() const;

  /// Calls `f` on every live connection, outside the registry's lock.
  void for_each(const std::function<void(ws_connection&)>& f);

  /// Waits until no connection is left or `deadline` passes; true when none is left.
  bool wait_empty(std::chrono::steady_clock::time_point deadline);

private:
  mutable std::mutex mutex_;
  std::condition_variable emptied_;
  std::unordered_map<std::uint64_t, std::weak_ptr<ws_connection>> connections_;
};

} // namespace rtd
