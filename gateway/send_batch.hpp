// Batched submission of a lane's socket writes. While the lane runs one job or one batch of
// readiness events, the sends its connections make wait, and the end of it hands them all to
// io_uring in one system call instead of one sendmsg each (a fan-out round: one call for
// hundreds of subscribers). Every send is non-blocking (MSG_DONTWAIT), so the kernel completes
// each before the call returns, with what sendmsg would have returned (checked when the batch
// is made: a kernel whose io_uring waited for room instead is not used). Without io_uring (an
// old kernel, a seccomp profile that forbids it) or with batching turned off, nothing waits
// and every connection writes at once. Lane thread only. Internal to gateway/.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include <sys/uio.h>

namespace rtd {

/// A connection whose write can wait for the batch.
class batched_writer {
public:
  virtual int descriptor() const = 0;
  /// Points up to `max` buffers at what waits to be written; returns how many.
  virtual std::size_t gather(iovec* buffers, std::size_t max) = 0;
  /// The send's outcome: bytes written, or -errno (-EAGAIN: the kernel's buffer is full).
  virtual void sent(long result) = 0;

protected:
  ~batched_writer() = default;
};

class send_batch {
public:
  /// At most `entries` sends go in one submission; 0 turns batching off.
  explicit send_batch(unsigned entries);
  ~send_batch();
  send_batch(const send_batch&) = delete;
  send_batch& operator=(const send_batch&) = delete;

  /// Whether writes can wait (io_uring works and batching is on).
  bool enabled() const { return ring_ != nullptr; }

  /// While one is open, writes wait; the outermost one submits them when it ends.
  class scope {
  public:
    explicit scope(send_batch& batch) : batch_(batch) { ++batch_.depth_; }
    ~scope() {
      if (--batch_.depth_ == 0)
        batch_.submit();
    }
    scope(const scope&) = delete;
    scope& operator=(const scope&) = delete;

  private:
    send_batch& batch_;
  };

  /// Keeps `w`'s write for the submission and returns its ticket (for cancel); 0: no scope is
  /// open, or batching is off: write now. `w` stays alive until sent() or cancel().
  std::size_t defer(batched_writer& w);

  /// The writer of `ticket` ends before the submission: it is not called.
  void cancel(std::size_t ticket);

private:
  struct ring;

  void submit();

  std::unique_ptr<ring> ring_;
  std::vector<batched_writer*> waiting_; ///< null: cancelled
  std::vector<long> results_;
  int depth_ = 0;
  bool submitting_ = false; ///< writers called from submit() write at once
};

} // namespace rtd
