#pragma once
// What the load generator reads about processes and clocks: a server's CPU time and RSS from
// /proc, its own CPU time, the wall and monotonic clocks, and its own open-file limit.

#include <cstdint>

namespace rtd::bench {

/// CPU seconds (utime + stime, every thread) of process `pid`; negative when unreadable.
double process_cpu_seconds(long pid);

/// VmRSS of process `pid` in KiB; negative when unreadable.
long process_rss_kib(long pid);

/// CPU seconds used so far by this process (every thread).
double own_cpu_seconds();

/// Wall clock (UTC), microseconds since the epoch: comparable with message timestamps.
std::int64_t wall_us();

/// Monotonic clock, microseconds.
std::int64_t steady_us();

/// Sleeps until wall_us() >= t.
void sleep_until_wall(std::int64_t t);

/// Raises the soft RLIMIT_NOFILE to the hard limit; returns the new soft limit.
long raise_fd_limit();

} // namespace rtd::bench
