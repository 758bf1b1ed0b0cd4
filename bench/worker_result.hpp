#pragma once
// What one event loop measured, in a form that merges across threads and processes.

#include "bench/histogram.hpp"

#include <cstdint>
#include <map>
#include <string>

namespace rtd::bench {

struct worker_result {
  std::map<std::string, std::uint64_t> sums; ///< counters: merged by adding
  std::map<std::string, std::int64_t> mins;  ///< merged by taking the smaller
  std::map<std::string, std::int64_t> maxs;  ///< merged by taking the larger
  histogram latency_us;                      ///< per mode: delivery latency, RTT, calc time
  std::string first_error;                   ///< the first unexpected thing seen, for the user
  double bench_cpu_s = 0;                    ///< load generator CPU during the window

  std::uint64_t sum(const std::string& key) const;
  void set_min(const std::string& key, std::int64_t v);
  void set_max(const std::string& key, std::int64_t v);
  void merge(const worker_result& other);

  /// Text form for a pipe between processes (one item per line, "end" last), and back.
  std::string serialize() const;
  static worker_result deserialize(const std::string& text);
};

} // namespace rtd::bench
