#include "gateway/plain_connection.hpp"

#include "gateway/context.hpp"
#include "gateway/io_lane.hpp"

#include <cerrno>
#include <utility>

#include <sys/socket.h>
#include <unistd.h>

namespace rtd {

namespace {

/// Buffers handed to one sendmsg: enough to drain a backed-up queue in few calls.
constexpr std::size_t max_gather = 64;

bool would_block(int error) {
  return error == EAGAIN || error == EWOULDBLOCK;
}

} // namespace

plain_connection::plain_connection(lane_socket socket, std::shared_ptr<gateway_context> context,
                                   io_lane& lane, std::uint64_t id)
    : ws_connection(std::move(context), lane, id), fd_(socket.release()) {}

plain_connection::~plain_connection() {
  if (fd_ >= 0)
    ::close(fd_);
}

void plain_connection::run(std::string_view early, auth::verification verified) {
  registered_ = std::static_pointer_cast<plain_connection>(shared_from_this());
  lane_.poller().add(fd_, *this);
  start(early, std::move(verified));
}

void plain_connection::on_readable() {
  if (finished())
    return;
  auto& buffer = lane_.read_buffer();
  for (;;) {
    auto n = ::recv(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (n > 0) {
      on_input(buffer.data(), static_cast<std::size_t>(n));
      if (finished() || static_cast<std::size_t>(n) < buffer.size())
        return; // drained: the common case, without a read that only says EAGAIN
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && would_block(errno))
      return;
    return end(); // the client closed its side, or the connection failed
  }
}

void plain_connection::on_writable() {
  if (finished())
    return;
  waiting_to_write_ = false;
  lane_.poller().want_write(fd_, *this, false);
  write_queued();
}

void plain_connection::write_queued() {
  if (waiting_to_write_ || batch_ticket_ != 0 || finished())
    return;
  if (!queue_.empty() && (batch_ticket_ = lane_.writes().defer(*this)) != 0)
    return; // sent() goes on
  iovec buffers[max_gather];
  while (!queue_.empty()) {
    msghdr message{};
    message.msg_iov = buffers;
    message.msg_iovlen = queue_.gather(buffers, max_gather);
    auto n = ::sendmsg(fd_, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (!wrote(n < 0 ? -errno : n))
      return end();
    if (waiting_to_write_)
      break;
  }
  on_progress();
}

std::size_t plain_connection::gather(iovec* buffers, std::size_t max) {
  return queue_.gather(buffers, max);
}

void plain_connection::sent(long result) {
  batch_ticket_ = 0;
  if (!wrote(result))
    return end();
  if (waiting_to_write_)
    return on_progress();
  write_queued(); // what the batched send left, written at once; then on_progress()
}

bool plain_connection::wrote(long result) {
  if (result >= 0) {
    auto n = static_cast<std::size_t>(result);
    counts().sent(queue_.consume(n), n);
    return true;
  }
  if (!would_block(static_cast<int>(-result)))
    return false;
  // The kernel's buffer is full: wait until the client has read some.
  waiting_to_write_ = true;
  lane_.poller().want_write(fd_, *this, true);
  return true;
}

void plain_connection::close_transport() {
  // The socket stays open until end(): shut it down so that the client sees the end now.
  ::shutdown(fd_, SHUT_RDWR);
  end();
}

void plain_connection::end() {
  if (finished())
    return;
  lane_.poller().remove(fd_);
  lane_.writes().cancel(std::exchange(batch_ticket_, 0));
  finish();
  net::post(lane_.io(), [keep = std::move(registered_)] {});
}

void plain_connection::terminate() {
  close_transport();
}

} // namespace rtd
