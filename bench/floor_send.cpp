// floor_send: the kernel's floor under fan-out on this machine. Writes one prebuilt WebSocket
// text frame (a server's frames are unmasked) to N loopback TCP connections, round after round,
// and measures the sending thread's CPU time per system call. A sink thread pinned to the other
// CPU reads and discards, as rtd-bench's readers do. No server delivers a frame over TCP for less
// than one send() costs here: a server's CPU per delivery over this floor is what its own work
// adds. Plain POSIX.
//
//   floor_send [--connections 1000] [--duration 3] [--ticks-per-s 100] [--frames-per-send 4]
//              [--payload-bytes 262] [--sender-cpu 0] [--sink-cpu 1] [--label TEXT]
//
// Variants: `send`, one frame per send(); `writev`, header and payload as two buffers (how a
// WebSocket library without its own framing buffer writes); `batch`, --frames-per-send frames
// in one send() (what uWS does when frames pile up); `uring`, one send per connection as in
// `send`, but a whole round submitted to io_uring at once (one system call per round instead of
// one per connection: what batched submission could save a server). --ticks-per-s paces the
// rounds like a publisher (0: back to back). Prints one JSON line.

#include "bench/floor_loopback.hpp"
#include "bench/proc_stats.hpp"

#include <liburing.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using rtd::bench::steady_us;
using namespace rtd::bench::floor;

struct options {
  std::size_t connections = 1000;
  double duration_s = 3;    ///< measured window per variant (after a 0.5 s warm-up)
  double ticks_per_s = 100; ///< rounds per second; 0: back to back
  std::size_t frames_per_send = 4;
  std::size_t payload_bytes = 262;
  int sender_cpu = 0;
  int sink_cpu = 1;
  std::string label;
};

double number(const std::string& name, const char* v) {
  char* end = nullptr;
  double d = std::strtod(v, &end);
  if (*v == '\0' || *end != '\0' || d < 0)
    throw std::runtime_error("--" + name + ": not a non-negative number: " + v);
  return d;
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; i += 2) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0 || i + 1 >= argc)
      throw std::runtime_error("usage: floor_send [--connections N] [--duration S] "
                               "[--ticks-per-s T] [--frames-per-send K] [--payload-bytes B] "
                               "[--sender-cpu C] [--sink-cpu C] [--label TEXT]");
    std::string name = arg.substr(2);
    const char* v = argv[i + 1];
    if (name == "connections")
      o.connections = static_cast<std::size_t>(number(name, v));
    else if (name == "duration")
      o.duration_s = number(name, v);
    else if (name == "ticks-per-s")
      o.ticks_per_s = number(name, v);
    else if (name == "frames-per-send")
      o.frames_per_send = static_cast<std::size_t>(number(name, v));
    else if (name == "payload-bytes")
      o.payload_bytes = static_cast<std::size_t>(number(name, v));
    else if (name == "sender-cpu")
      o.sender_cpu = static_cast<int>(number(name, v));
    else if (name == "sink-cpu")
      o.sink_cpu = static_cast<int>(number(name, v));
    else if (name == "label")
      o.label = v;
    else
      throw std::runtime_error("unknown option " + arg);
  }
  if (o.connections == 0 || o.frames_per_send == 0 || o.duration_s <= 0)
    throw std::runtime_error("--connections, --frames-per-send and --duration must be > 0");
  return o;
}

/// A market_update shaped like rtd's, its epoch padded so that the payload has `size` bytes.
std::string market_update(std::size_t size) {
  const std::string head =
      R"({"type":"market_update","channel":"market_data","seq":4242,"epoch":")";
  const std::string tail =
      R"(","timestamp":"2024-01-15T10:30:00.123456Z","data":{"discount_rate":0.0955,)"
      R"("inflation_rate":0.0241,"market_growth":0.0823,"tech_index":102.5,)"
      R"("ai_adoption_rate":0.3527}})";
  if (size < head.size() + tail.size())
    throw std::runtime_error("--payload-bytes: at least " +
                             std::to_string(head.size() + tail.size()));
  return head + std::string(size - head.size() - tail.size(), 'e') + tail;
}

/// The header of an unmasked, final text frame of `n` payload bytes (RFC 6455, 5.2).
std::string ws_header(std::size_t n) {
  std::string h(1, '\x81');
  if (n < 126) {
    h += static_cast<char>(n);
  } else if (n < 65536) {
    h += static_cast<char>(126);
    h += static_cast<char>(n >> 8);
    h += static_cast<char>(n & 0xff);
  } else {
    h += static_cast<char>(127);
    for (int shift = 56; shift >= 0; shift -= 8)
      h += static_cast<char>((n >> shift) & 0xff);
  }
  return h;
}

enum class variant { send, writev, batch, uring };

struct frames {
  std::string header, payload, frame, batch; // batch: the frame --frames-per-send times
};

struct tally {
  std::uint64_t sends = 0;   ///< calls that took their whole buffer
  std::uint64_t blocked = 0; ///< calls that took part of it or nothing (sink behind)
  std::uint64_t bytes = 0;
  double wall_s = 0, user_s = 0, sys_s = 0;
};

ssize_t write_once(int fd, variant v, const frames& f) {
  switch (v) {
  case variant::send:
    return send(fd, f.frame.data(), f.frame.size(), 0);
  case variant::writev: {
    iovec iov[2] = {{const_cast<char*>(f.header.data()), f.header.size()},
                    {const_cast<char*>(f.payload.data()), f.payload.size()}};
    return writev(fd, iov, 2);
  }
  case variant::batch:
    return send(fd, f.batch.data(), f.batch.size(), 0);
  case variant::uring:
    break; // whole rounds: uring_round()
  }
  return -1;
}

double seconds(const timeval& t) {
  return static_cast<double>(t.tv_sec) + t.tv_usec * 1e-6;
}

/// One round through io_uring: a send per connection, submitted together, then reaped.
void uring_round(io_uring& ring, const std::vector<int>& fds, const frames& f, tally& t) {
  for (std::size_t i = 0; i < fds.size();) {
    std::size_t queued = 0;
    for (; i < fds.size(); ++i, ++queued) {
      io_uring_sqe* sqe = io_uring_get_sqe(&ring);
      if (!sqe)
        break; // the ring is full: submit what it holds first
      io_uring_prep_send(sqe, fds[i], f.frame.data(), f.frame.size(), MSG_DONTWAIT);
    }
    io_uring_submit_and_wait(&ring, static_cast<unsigned>(queued));
    for (std::size_t done = 0; done < queued; ++done) {
      io_uring_cqe* cqe = nullptr;
      io_uring_wait_cqe(&ring, &cqe);
      ++(cqe->res == static_cast<int>(f.frame.size()) ? t.sends : t.blocked);
      t.bytes += cqe->res > 0 ? static_cast<std::uint64_t>(cqe->res) : 0;
      io_uring_cqe_seen(&ring, cqe);
    }
  }
}

/// Rounds of one write per connection for `window_s`, paced at `ticks_per_s` (no catch-up).
tally run(variant v, const std::vector<int>& fds, const frames& f, double ticks_per_s,
          double window_s) {
  io_uring ring{};
  if (v == variant::uring && io_uring_queue_init(1024, &ring, 0) < 0)
    throw std::runtime_error("io_uring_queue_init failed: io_uring unavailable here");
  const std::size_t whole = v == variant::batch ? f.batch.size() : f.frame.size();
  const std::int64_t interval_us =
      ticks_per_s > 0 ? static_cast<std::int64_t>(1e6 / ticks_per_s) : 0;
  tally t;
  rusage r0{}, r1{};
  getrusage(RUSAGE_THREAD, &r0);
  const std::int64_t start = steady_us(), end = start + static_cast<std::int64_t>(window_s * 1e6);
  std::int64_t next = start, now = start;
  while (now < end) {
    if (v == variant::uring) {
      uring_round(ring, fds, f, t);
    } else {
      for (int fd : fds) {
        ssize_t n = write_once(fd, v, f);
        ++(n == static_cast<ssize_t>(whole) ? t.sends : t.blocked);
        t.bytes += n > 0 ? static_cast<std::uint64_t>(n) : 0;
      }
    }
    now = steady_us();
    if (interval_us > 0) {
      next = std::max(next + interval_us, now);
      timespec ts{static_cast<time_t>(next / 1'000'000),
                  static_cast<long>(next % 1'000'000) * 1000};
      clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
      now = steady_us();
    }
  }
  getrusage(RUSAGE_THREAD, &r1);
  if (v == variant::uring)
    io_uring_queue_exit(&ring);
  // The sum is the thread's exact run time; the kernel splits it into user and system by samples.
  t.wall_s = static_cast<double>(now - start) * 1e-6;
  t.user_s = seconds(r1.ru_utime) - seconds(r0.ru_utime);
  t.sys_s = seconds(r1.ru_stime) - seconds(r0.ru_stime);
  return t;
}

void print_variant(const char* name, const tally& t, std::size_t frames_per_call, bool last) {
  const double calls = static_cast<double>(t.sends ? t.sends : 1);
  const double cpu_us = (t.user_s + t.sys_s) * 1e6;
  std::printf("\"%s\":{\"sends\":%llu,\"blocked\":%llu,\"sends_per_s\":%.1f,\"frames_per_s\":%.1f,"
              "\"cpu_pct\":%.1f,\"cpu_us_per_send\":%.3f,\"cpu_us_per_frame\":%.3f,"
              "\"user_us_per_send\":%.3f,\"sys_us_per_send\":%.3f}%s",
              name, static_cast<unsigned long long>(t.sends),
              static_cast<unsigned long long>(t.blocked), t.sends / t.wall_s,
              static_cast<double>(t.sends * frames_per_call) / t.wall_s, cpu_us / 1e4 / t.wall_s,
              cpu_us / calls, cpu_us / calls / static_cast<double>(frames_per_call),
              t.user_s * 1e6 / calls, t.sys_s * 1e6 / calls, last ? "" : ",");
}

int floor_send(const options& o) {
  std::signal(SIGPIPE, SIG_IGN);
  const long limit = rtd::bench::raise_fd_limit();
  if (limit > 0 && static_cast<long>(2 * o.connections + 16) > limit)
    throw std::runtime_error("--connections " + std::to_string(o.connections) +
                             ": needs two files each, the limit is " + std::to_string(limit));
  frames f;
  f.payload = market_update(o.payload_bytes);
  f.header = ws_header(f.payload.size());
  f.frame = f.header + f.payload;
  for (std::size_t i = 0; i < o.frames_per_send; ++i)
    f.batch += f.frame;

  for (int cpu : {o.sink_cpu, o.sender_cpu}) // the sink pins itself: may it?
    if (!pin(cpu))
      throw std::runtime_error("cannot run on CPU " + std::to_string(cpu));
  loopback_pairs pairs(o.connections);
  const struct {
    const char* name;
    variant v;
    std::size_t frames_per_call;
  } variants[] = {{"send", variant::send, 1},
                  {"writev", variant::writev, 1},
                  {"batch", variant::batch, o.frames_per_send},
                  {"uring", variant::uring, 1}};
  tally tallies[4];
  std::uint64_t sent = 0, received = 0;
  {
    sink reader(pairs.readers, o.sink_cpu);
    for (std::size_t i = 0; i < 4; ++i) {
      sent += run(variants[i].v, pairs.senders, f, o.ticks_per_s, 0.5).bytes; // warm-up
      tallies[i] = run(variants[i].v, pairs.senders, f, o.ticks_per_s, o.duration_s);
      sent += tallies[i].bytes;
    }
    // Everything written must arrive: the sink has read it all within 10 s.
    for (std::int64_t until = steady_us() + 10'000'000;
         reader.bytes() < sent && steady_us() < until;)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    received = reader.bytes();
  }
  std::printf("{\"mode\":\"floor_send\",\"label\":\"%s\",\"connections\":%zu,\"payload_bytes\":%zu,"
              "\"frame_bytes\":%zu,\"ticks_per_s\":%.1f,\"frames_per_send\":%zu,"
              "\"sender_cpu\":%d,\"sink_cpu\":%d,\"duration_s\":%.1f,\"variants\":{",
              o.label.c_str(), o.connections, f.payload.size(), f.frame.size(), o.ticks_per_s,
              o.frames_per_send, o.sender_cpu, o.sink_cpu, o.duration_s);
  for (std::size_t i = 0; i < 4; ++i)
    print_variant(variants[i].name, tallies[i], variants[i].frames_per_call, i == 3);
  std::printf("},\"bytes_sent\":%llu,\"bytes_received\":%llu,\"ok\":%s}\n",
              static_cast<unsigned long long>(sent), static_cast<unsigned long long>(received),
              received == sent ? "true" : "false");
  return received == sent ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
  try {
    return floor_send(parse(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "floor_send: %s\n", e.what());
    return 2;
  }
}
