#include "metrics/node_metrics.hpp"

#include <prometheus/text_serializer.h>

#include <algorithm>
#include <stdexcept>

namespace rtd::metrics {

namespace {

// Spelt as protocol::to_string(calculation_status) spells them.
constexpr std::array<std::string_view, calculation_outcome_count> outcome_names{
    "completed", "failed", "cancelled"};

prometheus::Family<prometheus::Counter>& counters(prometheus::Registry& registry, const char* name,
                                                  const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(registry);
}

prometheus::Counter& counter(prometheus::Registry& registry, const char* name, const char* help) {
  return counters(registry, name, help).Add({});
}

std::string label(std::string_view value) {
  return std::string{value};
}

} // namespace

const std::vector<double> node_metrics::calculation_buckets{
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

node_metrics::node_metrics(std::size_t lanes)
    : accepted_{counter(registry_, "rtd_connections_total", "WebSocket connections accepted")},
      cache_hits_{counter(registry_, "rtd_cache_hits_total",
                          "Calculation requests answered from the result cache")},
      cache_misses_{counter(registry_, "rtd_cache_misses_total",
                            "Calculation requests the result cache had no fresh result for")},
      cache_evictions_{counter(registry_, "rtd_cache_evictions_total",
                               "Results dropped from the full result cache, least recent first")},
      lanes_{lanes} {
  auto& refused =
      counters(registry_, "rtd_connections_refused_total", "WebSocket upgrades refused, by reason");
  for (std::size_t i = 0; i < refused_.size(); ++i)
    refused_[i] = &refused.Add({{"reason", label(reason_names[i])}});

  auto& closed = counters(registry_, "rtd_connections_closed_total",
                          "WebSocket connections ended, by close code (1006: no close frame)");
  for (std::size_t i = 0; i < labelled_close_codes.size(); ++i)
    closed_[i] = &closed.Add({{"code", std::to_string(labelled_close_codes[i])}});
  closed_.back() = &closed.Add({{"code", "other"}});

  auto& published = counters(registry_, "rtd_publications_total",
                             "Publications numbered on this node, per channel");
  for (auto c : protocol::all_channels)
    published_[static_cast<std::size_t>(c)] = &published.Add({{"channel", label(to_string(c))}});

  auto& calculations =
      counters(registry_, "rtd_calculations_total", "Calculations ended, by type and final status");
  auto& durations = prometheus::BuildHistogram()
                        .Name("rtd_calculation_duration_seconds")
                        .Help("Time calculations took from start to result, by type")
                        .Register(registry_);
  for (auto t : protocol::all_calculation_types) {
    auto type = static_cast<std::size_t>(t);
    for (std::size_t o = 0; o < calculation_outcome_count; ++o)
      calculations_[type][o] =
          &calculations.Add({{"type", label(to_string(t))}, {"status", label(outcome_names[o])}});
    durations_[type] = &durations.Add({{"type", label(to_string(t))}}, calculation_buckets);
  }

  for (const auto& family : collect())
    builtin_names_.insert(family.name);
  // The process families, which collect() leaves out where /proc cannot tell them.
  builtin_names_.insert({"process_cpu_seconds_total", "process_resident_memory_bytes"});
}

void node_metrics::connection_refused(refusal_reason reason) {
  refused_[static_cast<std::size_t>(reason)]->Increment();
}

std::array<std::uint64_t, labelled_close_codes.size() + 1> node_metrics::closed_counts() const {
  std::array<std::uint64_t, labelled_close_codes.size() + 1> out{};
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<std::uint64_t>(closed_[i]->Value());
  return out;
}

std::array<std::uint64_t, refusal_reason_count> node_metrics::refused_counts() const {
  std::array<std::uint64_t, refusal_reason_count> out{};
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<std::uint64_t>(refused_[i]->Value());
  return out;
}

void node_metrics::connection_closed(std::uint16_t code) {
  auto it = std::find(labelled_close_codes.begin(), labelled_close_codes.end(), code);
  closed_[static_cast<std::size_t>(it - labelled_close_codes.begin())]->Increment();
}

void node_metrics::published(protocol::channel channel) {
  published_[static_cast<std::size_t>(channel)]->Increment();
}

void node_metrics::calculation_finished(protocol::calculation_type type,
                                        calculation_outcome outcome) {
  calculations_[static_cast<std::size_t>(type)][static_cast<std::size_t>(outcome)]->Increment();
}

void node_metrics::observe_calculation_duration(protocol::calculation_type type,
                                                std::chrono::duration<double> seconds) {
  durations_[static_cast<std::size_t>(type)]->Observe(seconds.count());
}

void node_metrics::add_gauge_source(const source_family& family, prometheus::Labels labels,
                                    source_reader read) {
  add_source(prometheus::MetricType::Gauge, family, std::move(labels), std::move(read));
}

void node_metrics::add_counter_source(const source_family& family, prometheus::Labels labels,
                                      source_reader read) {
  add_source(prometheus::MetricType::Counter, family, std::move(labels), std::move(read));
}

void node_metrics::add_source(prometheus::MetricType type, const source_family& family,
                              prometheus::Labels labels, source_reader read) {
  if (builtin_names_.count(std::string{family.name}) != 0)
    throw std::invalid_argument{"metric name " + std::string{family.name} + " is built in"};
  sources_.add(type, family, std::move(labels), std::move(read));
}

std::vector<prometheus::MetricFamily> node_metrics::collect() const {
  auto families = registry_.Collect();
  for (const prometheus::Collectable* c :
       std::initializer_list<const prometheus::Collectable*>{&lanes_, &process_, &sources_}) {
    auto more = c->Collect();
    families.insert(families.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
  }
  // Sorted, families by name and samples by labels, so that scrapes diff line by line.
  std::sort(families.begin(), families.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  for (auto& family : families)
    std::sort(family.metric.begin(), family.metric.end(),
              [](const auto& a, const auto& b) { return a.label < b.label; });
  return families;
}

std::string node_metrics::serialize() const {
  return prometheus::TextSerializer{}.Serialize(collect());
}

} // namespace rtd::metrics
