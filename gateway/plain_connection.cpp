#include "gateway/plain_connection.hpp"

#include "gateway/context.hpp"
#include "gateway/io_lane.hpp"

#include <cerrno>

#include <sys/socket.h>

namespace rtd {

namespace {

/// Buffers handed to one sendmsg: enough to drain a backed-up queue in few calls.
constexpr std::size_t max_gather = 64;

bool would_block(int error) {
  return error == EAGAIN || error == EWOULDBLOCK;
}

} // namespace

plain_connection::plain_connection(lane_socket socket, std::shared_ptr<gateway_context> context,
                                   io_lane& lane, std::uint64_t id, auth::verification verified)
    : ws_connection(std::move(context), lane, id, std::move(verified)), socket_(std::move(socket)) {
}

void plain_connection::run(std::string_view early) {
  socket_.non_blocking(true);
  start(early);
  if (!finished())
    wait_readable();
}

void plain_connection::wait_readable() {
  socket_.async_wait(tcp::socket::wait_read,
                     [self = self()](beast::error_code ec) { self->on_readable(ec); });
}

void plain_connection::on_readable(beast::error_code ec) {
  if (ec || finished())
    return finish();
  auto& buffer = lane_.read_buffer();
  for (;;) {
    auto n = ::recv(socket_.native_handle(), buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (n > 0) {
      on_input(buffer.data(), static_cast<std::size_t>(n));
      if (finished())
        return;
      if (static_cast<std::size_t>(n) < buffer.size())
        break; // drained: the common case, without a read that only says EAGAIN
      continue;
    }
    if (n == 0 || (errno != EINTR && !would_block(errno)))
      return finish(); // the client closed its side, or the connection failed
    if (would_block(errno))
      break;
  }
  wait_readable();
}

void plain_connection::write_queued() {
  if (waiting_to_write_ || finished())
    return;
  iovec buffers[max_gather];
  while (!queue_.empty()) {
    msghdr message{};
    message.msg_iov = buffers;
    message.msg_iovlen = queue_.gather(buffers, max_gather);
    auto n = ::sendmsg(socket_.native_handle(), &message, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0) {
      auto& traffic = *context_->deps.traffic;
      traffic.messages_out.fetch_add(queue_.consume(static_cast<std::size_t>(n)),
                                     std::memory_order_relaxed);
      traffic.bytes_out.fetch_add(static_cast<std::uint64_t>(n), std::memory_order_relaxed);
      continue;
    }
    if (errno == EINTR)
      continue;
    if (!would_block(errno)) {
      close_transport(); // the read side ends the connection
      return;
    }
    // The kernel's buffer is full: wait until the client has read some.
    waiting_to_write_ = true;
    socket_.async_wait(tcp::socket::wait_write,
                       [self = self()](beast::error_code ec) { self->on_writable(ec); });
    break;
  }
  on_progress();
}

void plain_connection::on_writable(beast::error_code ec) {
  waiting_to_write_ = false;
  if (ec)
    return; // closed: the read side ends the connection
  write_queued();
}

void plain_connection::close_transport() {
  beast::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

void plain_connection::terminate() {
  close_transport();
  finish();
}

} // namespace rtd
