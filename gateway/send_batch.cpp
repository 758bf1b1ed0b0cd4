#include "gateway/send_batch.hpp"

#include "log/log.hpp"

#include <liburing.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <limits>
#include <string>

#include <sys/socket.h>
#include <unistd.h>

namespace rtd {

namespace {

/// Buffers of one batched send: a few frames; a connection with more writes the rest itself.
constexpr std::size_t buffers_per_send = 8;
constexpr int send_flags = MSG_DONTWAIT | MSG_NOSIGNAL;
/// A send the kernel has not reported on (yet).
constexpr long unreported = std::numeric_limits<long>::min();

/// Whether this kernel completes a send that would block at once, with -EAGAIN, as every
/// kernel that honours MSG_DONTWAIT in io_uring does. One that waited for room instead would
/// hold a submission, and the lane, until a slow client reads: tried on a socket pair whose
/// buffer is full.
bool completes_without_waiting(io_uring& uring) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0)
    return false;
  char block[4096] = {};
  while (::send(fds[0], block, sizeof block, send_flags) > 0) {
  }
  auto* sqe = io_uring_get_sqe(&uring);
  io_uring_prep_send(sqe, fds[0], block, sizeof block, send_flags);
  __kernel_timespec patience{0, 200'000'000};
  io_uring_cqe* cqe = nullptr;
  bool at_once = io_uring_submit_and_wait_timeout(&uring, &cqe, 1, &patience, nullptr) >= 0 &&
                 cqe != nullptr && cqe->res == -EAGAIN;
  if (cqe)
    io_uring_cqe_seen(&uring, cqe);
  // A send still waiting ends with its socket; the ring is given up then anyway.
  ::close(fds[0]);
  ::close(fds[1]);
  return at_once;
}

} // namespace

struct send_batch::ring {
  io_uring uring{};
  std::vector<msghdr> messages;
  std::vector<std::array<iovec, buffers_per_send>> buffers;

  explicit ring(unsigned entries) : messages(entries), buffers(entries) {}
  ~ring() { io_uring_queue_exit(&uring); }
};

send_batch::send_batch(unsigned entries) {
  if (entries == 0)
    return;
  auto r = std::make_unique<ring>(entries);
  // Completions are only ever reaped right after the submission: no interrupt is needed.
  int error = io_uring_queue_init(entries, &r->uring, IORING_SETUP_COOP_TASKRUN);
  if (error == -EINVAL) // before Linux 5.19
    error = io_uring_queue_init(entries, &r->uring, 0);
  if (error < 0) {
    log::info("send_batch_off",
              std::string{"io_uring is not available, each write is its own system call: "} +
                  std::strerror(-error));
    return;
  }
  if (!completes_without_waiting(r->uring)) {
    log::info("send_batch_off", "io_uring waits for room where a non-blocking send would not: "
                                "each write is its own system call");
    return;
  }
  ring_ = std::move(r);
  waiting_.reserve(entries);
  results_.reserve(entries);
}

send_batch::~send_batch() = default;

std::size_t send_batch::defer(batched_writer& w) {
  if (!ring_ || depth_ == 0 || submitting_)
    return 0;
  if (waiting_.size() == ring_->messages.size())
    submit();
  waiting_.push_back(&w);
  return waiting_.size();
}

void send_batch::cancel(std::size_t ticket) {
  if (ticket != 0 && ticket <= waiting_.size())
    waiting_[ticket - 1] = nullptr;
}

void send_batch::submit() {
  if (waiting_.empty())
    return;
  auto& r = *ring_;
  const auto count = waiting_.size();
  results_.assign(count, unreported);
  unsigned prepared = 0;
  for (std::size_t i = 0; i < count; ++i) {
    auto* w = waiting_[i];
    if (!w)
      continue;
    auto* sqe = io_uring_get_sqe(&r.uring);
    auto& buffers = r.buffers[i];
    auto n = w->gather(buffers.data(), buffers.size());
    if (n == 1) {
      io_uring_prep_send(sqe, w->descriptor(), buffers[0].iov_base, buffers[0].iov_len, send_flags);
    } else {
      auto& m = r.messages[i];
      m = msghdr{};
      m.msg_iov = buffers.data();
      m.msg_iovlen = n;
      io_uring_prep_sendmsg(sqe, w->descriptor(), &m, send_flags);
    }
    io_uring_sqe_set_data64(sqe, i);
    ++prepared;
  }
  // The kernel returns the count it took even when its wait is interrupted.
  const int submitted = io_uring_submit_and_wait(&r.uring, prepared);
  int error = std::min(submitted, 0);
  for (int reaped = 0; error == 0 && reaped < submitted; ++reaped) {
    io_uring_cqe* cqe = nullptr;
    // Interrupted: the sends are complete, only the wait was cut short.
    while ((error = io_uring_wait_cqe(&r.uring, &cqe)) == -EINTR) {
    }
    if (error == 0) {
      results_[io_uring_cqe_get_data64(cqe)] = cqe->res;
      io_uring_cqe_seen(&r.uring, cqe);
    }
  }
  if (error < 0) {
    // What the ring still holds would go, or be reported, with a later call: give it up.
    log::warn("send_batch_off",
              std::string{"io_uring failed, batching stops: "} + std::strerror(-error));
    ring_.reset();
  }
  // A send the ring did not take is, to its writer, one that would block: it waits for room
  // and writes by itself. One taken whose outcome is unknown cannot be repeated (its bytes may
  // be out): that connection ends.
  const long untold = submitted > 0 ? -EIO : -EAGAIN;
  // Writers may end or write more while they are told: they write at once now.
  submitting_ = true;
  for (std::size_t i = 0; i < count; ++i)
    if (auto* w = waiting_[i])
      w->sent(results_[i] == unreported ? untold : results_[i]);
  submitting_ = false;
  waiting_.clear();
}

} // namespace rtd
