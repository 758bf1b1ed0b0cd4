// rtd-bench: WebSocket load generator for rtd and its peers. See `rtd-bench --help`.

#include "bench/options.hpp"
#include "bench/proc_stats.hpp"
#include "bench/report.hpp"
#include "bench/runner.hpp"

#include <csignal>
#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
  using namespace rtd::bench;
  options opts;
  try {
    bool help = false;
    opts = parse_options(argc, argv, help);
    if (help) {
      std::fputs(usage(), stdout);
      return 0;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rtd-bench: %s\n\n%s", e.what(), usage());
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  long fds = raise_fd_limit();
  auto per_proc = opts.connections / static_cast<std::size_t>(opts.procs) + 1;
  if (fds > 0 && per_proc + 64 > static_cast<std::size_t>(fds)) {
    std::fprintf(stderr,
                 "rtd-bench: %zu connections per process exceed the open-file limit %ld: "
                 "raise --procs\n",
                 per_proc, fds);
    return 2;
  }
  try {
    run_samples samples;
    auto result = run(opts, samples);
    std::printf("%s\n", report_json(opts, result, samples).c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rtd-bench: %s\n", e.what());
    return 1;
  }
}
