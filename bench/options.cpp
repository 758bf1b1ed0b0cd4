#include "bench/options.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string_view>

namespace rtd::bench {

namespace {

double to_double(std::string_view name, const std::string& v) {
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0')
    throw std::runtime_error("--" + std::string(name) + ": not a number: " + v);
  return d;
}

long to_long(std::string_view name, const std::string& v) {
  char* end = nullptr;
  long l = std::strtol(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || l < 0)
    throw std::runtime_error("--" + std::string(name) + ": not a count: " + v);
  return l;
}

mode to_mode(const std::string& v) {
  if (v == "fanout")
    return mode::fanout;
  if (v == "ping")
    return mode::ping;
  if (v == "calc")
    return mode::calc;
  if (v == "conns")
    return mode::conns;
  if (v == "ingest")
    return mode::ingest;
  throw std::runtime_error("unknown mode: " + v + " (fanout, ping, calc, conns or ingest)");
}

} // namespace

const char* mode_name(mode m) {
  switch (m) {
  case mode::fanout:
    return "fanout";
  case mode::ping:
    return "ping";
  case mode::calc:
    return "calc";
  case mode::conns:
    return "conns";
  case mode::ingest:
    return "ingest";
  }
  return "?";
}

const char* usage() {
  return "usage: rtd-bench MODE [options]   (prints one JSON line of results)\n"
         "modes:\n"
         "  fanout  N connections subscribe to market_data; deliveries/s, publish-to-receipt\n"
         "          latency, seq gaps, disconnects\n"
         "  ping    N clients, closed loop ping -> pong: round trips/s, RTT\n"
         "  calc    N clients, closed loop npv calculate -> completed: calcs/s, latency,\n"
         "          result.npv checked against a local computation\n"
         "  conns   N connections held and subscribed: server RSS per connection\n"
         "  ingest  N connections subscribe to notifications; like fanout, latency from the\n"
         "          send time a publisher wrote in each message (\"bench <us since epoch>\",\n"
         "          bench/redis_ingest.py publishes them through Redis)\n"
         "options:\n"
         "  --url ws://HOST:PORT/PATH   server (default ws://127.0.0.1:8000/ws)\n"
         "  --connections N             connections or clients (default 100; alias --clients)\n"
         "  --duration S                measured window in seconds (default 10)\n"
         "  --warmup S                  pause between all-ready and the window (default 1)\n"
         "  --setup-timeout S           limit for connecting and subscribing (default 120)\n"
         "  --threads T                 event loops per process (default 1)\n"
         "  --procs P                   load generator processes (default 1)\n"
         "  --source-addrs K            bind to 127.0.0.1..K (default: one per 5,000)\n"
         "  --connect-concurrency C     handshakes in flight per event loop (default 256)\n"
         "  --calc-params distinct|same distinct (default) defeats a result cache\n"
         "  --pid PID                   server pid: its CPU seconds and RSS from /proc\n"
         "  --label TEXT                copied into the result\n";
}

options parse_options(int argc, char** argv, bool& help) {
  options o;
  help = false;
  int i = 1;
  if (i < argc && argv[i][0] != '-')
    o.mode = to_mode(argv[i++]);
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      help = true;
      return o;
    }
    if (arg.rfind("--", 0) != 0)
      throw std::runtime_error("unexpected argument: " + arg);
    std::string name = arg.substr(2);
    std::string value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    } else {
      if (i + 1 >= argc)
        throw std::runtime_error("--" + name + " needs a value");
      value = argv[++i];
    }
    if (name == "mode")
      o.mode = to_mode(value);
    else if (name == "url")
      o.url = value;
    else if (name == "connections" || name == "clients")
      o.connections = static_cast<std::size_t>(to_long(name, value));
    else if (name == "duration")
      o.duration_s = to_double(name, value);
    else if (name == "warmup")
      o.warmup_s = to_double(name, value);
    else if (name == "setup-timeout")
      o.setup_timeout_s = to_double(name, value);
    else if (name == "threads")
      o.threads = static_cast<int>(to_long(name, value));
    else if (name == "procs")
      o.procs = static_cast<int>(to_long(name, value));
    else if (name == "source-addrs")
      o.source_addrs = static_cast<int>(to_long(name, value));
    else if (name == "connect-concurrency")
      o.connect_concurrency = static_cast<std::size_t>(to_long(name, value));
    else if (name == "calc-params") {
      if (value != "distinct" && value != "same")
        throw std::runtime_error("--calc-params: distinct or same");
      o.calc_same_params = value == "same";
    } else if (name == "pid")
      o.pid = to_long(name, value);
    else if (name == "label")
      o.label = value;
    else
      throw std::runtime_error("unknown option --" + name);
  }
  if (o.connections == 0)
    throw std::runtime_error("--connections must be > 0");
  if (o.threads < 1 || o.procs < 1)
    throw std::runtime_error("--threads and --procs must be >= 1");
  if (o.duration_s <= 0)
    throw std::runtime_error("--duration must be > 0");
  if (o.connect_concurrency == 0)
    o.connect_concurrency = 1;
  if (o.source_addrs == 0)
    o.source_addrs = static_cast<int>(o.connections / 5000 + 1);
  if (o.source_addrs > 250)
    o.source_addrs = 250;
  return o;
}

} // namespace rtd::bench
