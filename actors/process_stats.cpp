#include "actors/process_stats.hpp"

#include <fstream>

#include <sys/resource.h>
#include <unistd.h>

namespace rtd {

std::uint64_t resident_set_bytes() {
  std::ifstream statm{"/proc/self/statm"};
  std::uint64_t total_pages = 0;
  std::uint64_t resident_pages = 0;
  if (!(statm >> total_pages >> resident_pages))
    return 0;
  return resident_pages * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

} // namespace rtd
