// Figures about this process that the kernel keeps.
#pragma once

#include <cstdint>

namespace rtd {

/// Resident set size in bytes, from /proc/self/statm; 0 when unavailable.
std::uint64_t resident_set_bytes();

/// CPU time (user + system) this process has used, in seconds.
double cpu_seconds();

} // namespace rtd
