#include "metrics/process_metrics.hpp"

#include "metrics/families.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

namespace rtd::metrics {

namespace {

std::optional<std::string> read_text(const char* path) {
  std::ifstream in{path};
  if (!in)
    return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

/// The unsigned integer at the start of `s` after blanks; `s` then starts after it.
std::optional<unsigned long long> take_number(std::string_view& s) {
  auto start = s.find_first_not_of(" \t");
  if (start == std::string_view::npos)
    return std::nullopt;
  unsigned long long value = 0;
  auto [end, ec] = std::from_chars(s.data() + start, s.data() + s.size(), value);
  if (ec != std::errc{})
    return std::nullopt;
  s.remove_prefix(static_cast<std::size_t>(end - s.data()));
  return value;
}

} // namespace

std::optional<double> cpu_seconds_from_stat(std::string_view stat, long ticks_per_second) {
  // Field 2, the command name, is in parentheses and may itself hold spaces and parentheses:
  // the fields after it start at the last ')'.
  auto close = stat.rfind(')');
  if (close == std::string_view::npos || ticks_per_second <= 0)
    return std::nullopt;
  auto rest = stat.substr(close + 1);
  // Fields 3 to 13, then utime and stime.
  for (int field = 3; field <= 13; ++field) {
    auto start = rest.find_first_not_of(' ');
    auto end = start == std::string_view::npos ? start : rest.find(' ', start);
    if (end == std::string_view::npos)
      return std::nullopt;
    rest.remove_prefix(end);
  }
  auto user = take_number(rest);
  auto system = take_number(rest);
  if (!user || !system)
    return std::nullopt;
  return static_cast<double>(*user + *system) / static_cast<double>(ticks_per_second);
}

std::optional<double> resident_bytes_from_status(std::string_view status) {
  constexpr std::string_view key = "VmRSS:";
  for (std::size_t pos = 0; pos < status.size();) {
    auto end = status.find('\n', pos);
    auto line = status.substr(pos, end == std::string_view::npos ? end : end - pos);
    if (line.substr(0, key.size()) == key) {
      line.remove_prefix(key.size());
      auto kib = take_number(line);
      if (!kib)
        return std::nullopt;
      return static_cast<double>(*kib) * 1024.0;
    }
    if (end == std::string_view::npos)
      break;
    pos = end + 1;
  }
  return std::nullopt;
}

std::optional<double> read_cpu_seconds() {
  auto stat = read_text("/proc/self/stat");
  return stat ? cpu_seconds_from_stat(*stat, sysconf(_SC_CLK_TCK)) : std::nullopt;
}

std::optional<double> read_resident_bytes() {
  auto status = read_text("/proc/self/status");
  return status ? resident_bytes_from_status(*status) : std::nullopt;
}

std::vector<prometheus::MetricFamily> process_collector::Collect() const {
  std::vector<prometheus::MetricFamily> out;
  if (auto cpu = read_cpu_seconds())
    out.push_back(single_family("process_cpu_seconds_total",
                                "Total user and system CPU time spent in seconds",
                                prometheus::MetricType::Counter, *cpu));
  if (auto rss = read_resident_bytes())
    out.push_back(single_family("process_resident_memory_bytes", "Resident memory size in bytes",
                                prometheus::MetricType::Gauge, *rss));
  return out;
}

} // namespace rtd::metrics
