// Metrics whose owner keeps the value and the node reads it when scraped: a gauge such as
// the connections open now, or a counter that another component already keeps.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/labels.h>
#include <prometheus/metric_family.h>

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace rtd::metrics {

/// The name and help text of a family read from sources.
struct source_family {
  std::string_view name;
  std::string_view help;
};

/// Reads a value at scrape time, on the scraping thread. It must not block (read an atomic
/// or a briefly locked figure, never ask an actor) and must not call back into the metrics.
using source_reader = std::function<double()>;

class source_collector : public prometheus::Collectable {
public:
  /// Adds one series of `family`, read by `read`. Thread-safe. Throws std::invalid_argument
  /// for a name that is not `rtd_` and a valid metric name, a counter not ending in `_total`
  /// (or a gauge that does), a name already used with another type or help,
  /// an invalid label name, an empty reader, or a series (name and labels) added before.
  void add(prometheus::MetricType type, const source_family& family, prometheus::Labels labels,
           source_reader read);

  /// Every family with a value read now from each of its series.
  std::vector<prometheus::MetricFamily> Collect() const override;

private:
  struct family_entry {
    prometheus::MetricType type;
    std::string help;
    std::map<prometheus::Labels, source_reader> series;
  };

  mutable std::mutex mutex_;
  std::map<std::string, family_entry, std::less<>> families_;
};

} // namespace rtd::metrics
