#pragma once
// floor_send's loopback connections and the reader that drains them (plain POSIX).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

namespace rtd::bench::floor {

/// Pins the calling thread to `cpu`; false when it may not run there.
bool pin(int cpu);

/// N loopback TCP connections: `senders` are the accepted (server) ends, non-blocking with
/// Nagle off, as a server's; `readers` the clients' ends. Closes them all on destruction.
struct loopback_pairs {
  std::vector<int> senders, readers;
  explicit loopback_pairs(std::size_t n);
  loopback_pairs(const loopback_pairs&) = delete;
  loopback_pairs& operator=(const loopback_pairs&) = delete;
  ~loopback_pairs();
};

/// Reads and discards whatever arrives on `fds`, on its own thread pinned to `cpu`, until
/// destroyed; counts the bytes.
class sink {
public:
  sink(const std::vector<int>& fds, int cpu);
  sink(const sink&) = delete;
  sink& operator=(const sink&) = delete;
  ~sink();

  /// Bytes read so far.
  std::uint64_t bytes() const { return bytes_.load(); }

private:
  void run(int cpu);

  int epoll_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> bytes_{0};
  std::thread thread_;
};

} // namespace rtd::bench::floor
