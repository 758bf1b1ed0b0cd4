// The gateway's live WebSocket connections, so that shutdown can close every one.
#pragma once

#include "actors/frame_sink.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace rtd {

class connection_registry {
public:
  void add(std::uint64_t id, std::weak_ptr<frame_sink> connection);
  void remove(std::uint64_t id);
  std::size_t size() const;

  /// Closes every registered connection with `code`.
  void close_all(close_code code, const std::string& reason);

  /// Waits until no connection is left or `deadline` passes; true when none is left.
  bool wait_empty(std::chrono::steady_clock::time_point deadline);

private:
  mutable std::mutex mutex_;
  std::condition_variable emptied_;
  std::unordered_map<std::uint64_t, std::weak_ptr<frame_sink>> connections_;
};

} // namespace rtd
