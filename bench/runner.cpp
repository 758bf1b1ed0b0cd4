#include "bench/runner.hpp"

#include "bench/modes.hpp"
#include "bench/proc_stats.hpp"

#include <cerrno>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace rtd::bench {

namespace {

/// The event loops of one process, one thread each.
class local_group {
public:
  local_group(const options& opts, std::size_t first, std::size_t count) {
    auto url = parse_url(opts.url);
    auto n = static_cast<std::size_t>(opts.threads);
    for (std::size_t t = 0; t < n; ++t) {
      std::size_t begin = first + count * t / n, end = first + count * (t + 1) / n;
      loops_.push_back(std::make_unique<event_loop>(url));
      workers_.push_back(make_worker(opts, begin, end - begin, *loops_.back()));
    }
  }

  void start() {
    for (std::size_t t = 0; t < loops_.size(); ++t) {
      loops_[t]->post([w = workers_[t].get()] { w->start(); });
      threads_.emplace_back([l = loops_[t].get()] { l->run(); });
    }
  }

  /// Waits until every connection is ready or failed, or the deadline; true if settled.
  bool wait_settled(std::int64_t deadline_wall) {
    while (wall_us() < deadline_wall) {
      bool all = true;
      for (auto& w : workers_)
        all = all && w->settled();
      if (all)
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }

  void begin(std::int64_t t0, std::int64_t t1) {
    cpu_at_begin_ = own_cpu_seconds();
    for (std::size_t t = 0; t < loops_.size(); ++t)
      loops_[t]->post([w = workers_[t].get(), t0, t1] { w->begin(t0, t1); });
  }

  worker_result join() {
    for (auto& th : threads_)
      th.join();
    worker_result merged;
    for (auto& w : workers_)
      merged.merge(w->result());
    merged.bench_cpu_s = own_cpu_seconds() - cpu_at_begin_;
    return merged;
  }

private:
  std::vector<std::unique_ptr<event_loop>> loops_;
  std::vector<std::unique_ptr<worker>> workers_;
  std::vector<std::thread> threads_;
  double cpu_at_begin_ = 0;
};

void write_all(int fd, const std::string& text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      throw std::runtime_error("write to pipe failed");
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

/// Reads until `terminator` ends the data (or EOF); returns everything read.
std::string read_until(int fd, const std::string& terminator) {
  std::string data;
  char buf[65536];
  while (data.size() < terminator.size() ||
         data.compare(data.size() - terminator.size(), terminator.size(), terminator) != 0) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    data.append(buf, static_cast<std::size_t>(n));
  }
  return data;
}

struct child {
  pid_t pid = -1;
  int up = -1;   ///< child -> parent
  int down = -1; ///< parent -> child
};

/// In a forked child: run a share of the connections, talk to the parent over the pipes.
[[noreturn]] void child_main(const options& opts, std::size_t first, std::size_t count, int up,
                             int down, std::int64_t deadline) {
  int status = 0;
  try {
    local_group group(opts, first, count);
    group.start();
    bool settled = group.wait_settled(deadline);
    write_all(up, settled ? "ready 1\n" : "ready 0\n");
    std::string window = read_until(down, "\n");
    long long t0 = 0, t1 = 0;
    if (std::sscanf(window.c_str(), "%lld %lld", &t0, &t1) != 2)
      throw std::runtime_error("no window from the parent");
    group.begin(t0, t1);
    write_all(up, group.join().serialize());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rtd-bench child: %s\n", e.what());
    status = 1;
  }
  std::fflush(nullptr);
  _exit(status);
}

/// The window, and the server samples around it.
void run_window(const options& opts, run_samples& s) {
  s.t0 = wall_us() + static_cast<std::int64_t>(opts.warmup_s * 1e6);
  s.t1 = s.t0 + static_cast<std::int64_t>(opts.duration_s * 1e6);
}

void sample_window(const options& opts, run_samples& s) {
  sleep_until_wall(s.t0);
  double cpu0 = process_cpu_seconds(opts.pid);
  s.rss_ready_kib = process_rss_kib(opts.pid);
  sleep_until_wall(s.t1);
  double cpu1 = process_cpu_seconds(opts.pid);
  s.rss_end_kib = process_rss_kib(opts.pid);
  if (cpu0 >= 0 && cpu1 >= 0)
    s.server_cpu_s = cpu1 - cpu0;
}

} // namespace

worker_result run(const options& opts, run_samples& s) {
  parse_url(opts.url); // a bad --url fails here, before any process or thread starts
  s.rss_before_kib = process_rss_kib(opts.pid);
  const auto start = wall_us();
  const auto deadline = start + static_cast<std::int64_t>(opts.setup_timeout_s * 1e6);
  const std::size_t n = opts.connections;

  if (opts.procs == 1) {
    local_group group(opts, 0, n);
    group.start();
    s.setup_complete = group.wait_settled(deadline);
    s.setup_s = static_cast<double>(wall_us() - start) * 1e-6;
    run_window(opts, s);
    group.begin(s.t0, s.t1);
    sample_window(opts, s);
    return group.join();
  }

  std::fflush(nullptr);
  std::vector<child> children;
  const auto procs = static_cast<std::size_t>(opts.procs);
  for (std::size_t p = 0; p < procs; ++p) {
    int up[2], down[2];
    if (::pipe(up) != 0 || ::pipe(down) != 0)
      throw std::runtime_error("pipe failed");
    std::size_t first = n * p / procs, last = n * (p + 1) / procs;
    pid_t pid = ::fork();
    if (pid < 0)
      throw std::runtime_error("fork failed");
    if (pid == 0) {
      ::close(up[0]);
      ::close(down[1]);
      for (auto& c : children) {
        ::close(c.up);
        ::close(c.down);
      }
      child_main(opts, first, last - first, up[1], down[0], deadline);
    }
    ::close(up[1]);
    ::close(down[0]);
    children.push_back({pid, up[0], down[1]});
  }
  s.setup_complete = true;
  for (auto& c : children)
    s.setup_complete = read_until(c.up, "\n") == "ready 1\n" && s.setup_complete;
  s.setup_s = static_cast<double>(wall_us() - start) * 1e-6;
  run_window(opts, s);
  for (auto& c : children) {
    try {
      write_all(c.down, std::to_string(s.t0) + " " + std::to_string(s.t1) + "\n");
    } catch (const std::exception&) {
      // That child died; its missing result says so below.
    }
  }
  sample_window(opts, s);
  worker_result merged;
  for (auto& c : children) {
    std::string text = read_until(c.up, "end\n");
    if (text.empty())
      merged.first_error =
          merged.first_error.empty() ? "a load generator process failed" : merged.first_error;
    merged.merge(worker_result::deserialize(text));
    int status = 0;
    ::waitpid(c.pid, &status, 0);
    ::close(c.up);
    ::close(c.down);
  }
  return merged;
}

} // namespace rtd::bench
