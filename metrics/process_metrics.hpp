// CPU time and resident memory of this process, read from /proc when scraped. Named as every
// Prometheus client library names them (process_cpu_seconds_total,
// process_resident_memory_bytes, without the rtd_ prefix) so that stock dashboards and alerts
// find them.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <optional>
#include <string_view>
#include <vector>

namespace rtd::metrics {

/// User plus system CPU seconds from the text of /proc/<pid>/stat, whose fields 14 and 15
/// count clock ticks of `ticks_per_second`; nullopt when the text is not such a line.
std::optional<double> cpu_seconds_from_stat(std::string_view stat, long ticks_per_second);

/// Resident set size in bytes from the text of /proc/<pid>/status (its VmRSS line, in kB);
/// nullopt when there is no such line.
std::optional<double> resident_bytes_from_status(std::string_view status);

/// This process's CPU seconds, from /proc/self/stat; nullopt when unreadable.
std::optional<double> read_cpu_seconds();

/// This process's resident set size in bytes, from /proc/self/status; nullopt when unreadable.
std::optional<double> read_resident_bytes();

/// process_cpu_seconds_total and process_resident_memory_bytes, each left out when /proc
/// cannot tell it.
class process_collector : public prometheus::Collectable {
public:
  std::vector<prometheus::MetricFamily> Collect() const override;
};

} // namespace rtd::metrics
