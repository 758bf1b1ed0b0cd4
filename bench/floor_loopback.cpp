#include "bench/floor_loopback.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace rtd::bench::floor {

namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

} // namespace

bool pin(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

loopback_pairs::loopback_pairs(std::size_t n) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (listener < 0 || bind(listener, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      listen(listener, 128) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    fail("listen on 127.0.0.1");
  const int one = 1;
  for (std::size_t i = 0; i < n; ++i) {
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (c < 0 || connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      fail("connect " + std::to_string(i));
    readers.push_back(c);
    int s = accept(listener, nullptr, nullptr);
    if (s < 0)
      fail("accept");
    senders.push_back(s);
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(s, F_SETFL, O_NONBLOCK);
    fcntl(c, F_SETFL, O_NONBLOCK);
  }
  close(listener);
}

loopback_pairs::~loopback_pairs() {
  for (int fd : senders)
    close(fd);
  for (int fd : readers)
    close(fd);
}

sink::sink(const std::vector<int>& fds, int cpu) : epoll_(epoll_create1(0)) {
  if (epoll_ < 0)
    fail("epoll_create1");
  for (int fd : fds) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    if (epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev) != 0) {
      close(epoll_);
      fail("epoll_ctl");
    }
  }
  thread_ = std::thread([this, cpu] { run(cpu); });
}

sink::~sink() {
  stop_ = true;
  thread_.join();
  close(epoll_);
}

void sink::run(int cpu) {
  pin(cpu); // the caller checked that this process may use `cpu`
  std::vector<epoll_event> events(1024);
  std::vector<char> buf(1 << 16);
  while (!stop_) {
    int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 50);
    for (int i = 0; i < n; ++i)
      for (ssize_t r; (r = read(events[i].data.fd, buf.data(), buf.size())) > 0;)
        bytes_ += static_cast<std::uint64_t>(r);
  }
}

} // namespace rtd::bench::floor
