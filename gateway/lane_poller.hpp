// The readiness of a lane's WebSocket sockets, from one epoll set of the lane's own (itself
// one descriptor in the lane's io_context). A socket costs an epoll entry and nothing else:
// no reactor state and no pending operation per connection, and one wake-up serves every
// socket that became ready. Lane thread only. Internal to gateway/.
#pragma once

#include "gateway/beast.hpp"
#include "gateway/send_batch.hpp"

#include <boost/asio/posix/stream_descriptor.hpp>

#include <array>

#include <sys/epoll.h>

namespace rtd {

/// What the poller tells a registered socket's owner.
class poll_target {
public:
  virtual void on_readable() = 0; ///< also on hang-up or error: the next read says which
  virtual void on_writable() = 0;

protected:
  ~poll_target() = default;
};

class lane_poller {
public:
  /// What the sockets write in answer to one wake-up goes out in one submission of `writes`.
  lane_poller(net::io_context& io, send_batch& writes);
  ~lane_poller();

  /// Watches `fd` for input (and hang-up) until remove().
  void add(int fd, poll_target& target);

  /// Also watches `fd` for room to write, until the next call with `false`.
  void want_write(int fd, poll_target& target, bool on);

  /// Stops watching `fd` (before it is closed).
  void remove(int fd);

  /// Stops waiting (the io_context is about to stop).
  void stop();

private:
  void wait();
  void dispatch();

  int epoll_;
  send_batch& writes_;
  net::posix::stream_descriptor ready_; ///< the epoll set, as the io_context sees it
  std::array<epoll_event, 256> events_;
};

} // namespace rtd
