#pragma once
// Command line of rtd-bench: which mode, against which server, with how much load.

#include <cstddef>
#include <cstdint>
#include <string>

namespace rtd::bench {

enum class mode { fanout, ping, calc, conns, ingest };

/// Every option of every mode; a mode ignores what it does not use.
struct options {
  bench::mode mode = mode::fanout;
  std::string url = "ws://127.0.0.1:8000/ws";
  std::size_t connections = 100; ///< subscribers (fanout, conns) or clients (ping, calc)
  double duration_s = 10;        ///< measured window
  double warmup_s = 1;           ///< between "all ready" and the window (RSS settles, loops warm)
  double setup_timeout_s = 120;  ///< connecting and subscribing may not take longer
  int threads = 1;               ///< event loops (one thread each) per process
  int procs = 1;                 ///< load generator processes (fds are limited per process)
  int source_addrs = 0;          ///< 127.0.0.1..127.0.0.K; 0: one per 5,000 connections
  std::size_t connect_concurrency = 256; ///< handshakes in flight per event loop
  bool calc_same_params = false;         ///< calc: every request identical (cache hits)
  long pid = 0;                          ///< server pid: CPU seconds and RSS from /proc
  std::string label;                     ///< echoed in the result line
};

/// Parses argv (`rtd-bench MODE --flag value|--flag=value ...`). Throws std::runtime_error
/// with a message for the user on bad input; `help` is set on --help.
options parse_options(int argc, char** argv, bool& help);

/// The usage text.
const char* usage();

/// "fanout", "ping", ...
const char* mode_name(mode m);

} // namespace rtd::bench
