#include "gateway/lane_poller.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include <unistd.h>

namespace rtd {

namespace {

constexpr std::uint32_t input_events = EPOLLIN | EPOLLRDHUP;

int make_epoll() {
  int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0)
    throw std::runtime_error(std::string{"cannot create an epoll set: "} + std::strerror(errno));
  return fd;
}

void control(int epoll, int op, int fd, std::uint32_t events, poll_target* target) {
  epoll_event e{};
  e.events = events;
  e.data.ptr = target;
  // A failure leaves the socket unwatched; its next write or the idle timeout ends it.
  ::epoll_ctl(epoll, op, fd, &e);
}

} // namespace

lane_poller::lane_poller(net::io_context& io, send_batch& writes)
    : epoll_(make_epoll()), writes_(writes), ready_(io, epoll_) {
  wait();
}

lane_poller::~lane_poller() = default; // ready_ closes the epoll set

void lane_poller::add(int fd, poll_target& target) {
  control(epoll_, EPOLL_CTL_ADD, fd, input_events, &target);
}

void lane_poller::want_write(int fd, poll_target& target, bool on) {
  control(epoll_, EPOLL_CTL_MOD, fd, on ? input_events | EPOLLOUT : input_events, &target);
}

void lane_poller::remove(int fd) {
  control(epoll_, EPOLL_CTL_DEL, fd, 0, nullptr);
}

void lane_poller::stop() {
  beast::error_code ec;
  ready_.cancel(ec);
}

void lane_poller::wait() {
  ready_.async_wait(net::posix::stream_descriptor::wait_read, [this](beast::error_code ec) {
    if (ec)
      return; // cancelled: the lane is stopping
    dispatch();
    wait();
  });
}

void lane_poller::dispatch() {
  int n = ::epoll_wait(epoll_, events_.data(), static_cast<int>(events_.size()), 0);
  send_batch::scope writes{writes_};
  for (int i = 0; i < n; ++i) {
    auto* target = static_cast<poll_target*>(events_[i].data.ptr);
    auto what = events_[i].events;
    // Writable first: a connection that reads a close may end before its writes are done.
    if (what & EPOLLOUT)
      target->on_writable();
    if (what & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
      target->on_readable();
  }
}

} // namespace rtd
