// A node's channels and clients with a calculation service whose heavy jobs run on a manual
// executor: everything advances deterministically on the test coordinator.
#pragma once

#include "actors/calculation_service.hpp"
#include "tests/actors/manual_executor.hpp"
#include "tests/actors/node_fixture.hpp"

#include <memory>
#include <string>
#include <vector>

namespace rtd::test {

inline protocol::calculate_request npv_request(std::string id,
                                               protocol::rate_input rate = {false, 0.1}) {
  protocol::calculate_request r;
  r.type = protocol::calculation_type::npv;
  r.calculation_id = std::move(id);
  r.parameters.cash_flows = {100000, 120000, 140000};
  r.parameters.discount_rate = rate;
  r.parameters.initial_investment = 300000;
  return r;
}

inline protocol::calculate_request monte_carlo_request(std::string id, std::uint64_t iterations) {
  auto r = npv_request(std::move(id));
  r.type = protocol::calculation_type::monte_carlo;
  r.parameters.volatility = protocol::rate_input{false, 0.2};
  r.parameters.iterations = iterations;
  r.parameters.seed = 7;
  return r;
}

/// The statuses of calculation updates, the type of other frames.
inline std::vector<std::string> statuses(const std::vector<rapidjson::Document>& frames) {
  std::vector<std::string> out;
  for (const auto& f : frames)
    out.push_back(f.HasMember("status") ? str(f, "status") : str(f, "type"));
  return out;
}

struct calc_fixture : node_fixture {
  std::shared_ptr<manual_executor> executor = std::make_shared<manual_executor>();
  calculation_service_actor service;

  /// 12,288 work units a chunk: 4,096 iterations of a 3-flow Monte Carlo.
  static calculation_service_config small_chunks(calculation_service_config config = {}) {
    config.chunk_work = 3 * 4096;
    return config;
  }

  /// What the service counts for /metrics.
  std::shared_ptr<metrics::node_metrics> counts = std::make_shared<metrics::node_metrics>(1);

  explicit calc_fixture(calculation_service_config config = small_chunks()) {
    service = sys.spawn(calculation_service, config,
                        channel_of(channels, protocol::channel::calculations),
                        std::shared_ptr<calculation_executor>{executor}, counts);
    context->calculations = service;
    caf::anon_send(channel_of(channels, protocol::channel::market_data), caf::join_atom::value,
                   market_listener_actor{service});
    run();
  }

  ~calc_fixture() {
    if (service)
      kill(service);
    executor->drop();
  }

  /// Publishes a market step on market_data, which tells the service.
  void market(double discount_rate) {
    protocol::market_snapshot m;
    m[protocol::market_indicator::discount_rate] = discount_rate;
    caf::anon_send(channel_of(channels, protocol::channel::market_data),
                   protocol::publication_body{m});
  }

  /// Runs until nothing is left to do, the executor's chunks included.
  void run() {
    do
      sched.run();
    while (executor->run_queued() > 0);
  }

  calculation_stats stats() { return ask<calculation_stats>(service, caf::get_atom::value); }

  /// Runs one message or chunk at a time until `sink` holds a frame with `status`.
  void run_until_status(recording_sink& sink, const std::string& status,
                        std::vector<rapidjson::Document>& seen) {
    for (int i = 0; i < 100000; ++i) {
      for (auto& d : sink.take())
        seen.push_back(std::move(d));
      if (!seen.empty() && seen.back().HasMember("status") && str(seen.back(), "status") == status)
        return;
      REQUIRE((sched.try_run_once() || executor->run_one()));
    }
    FAIL("status never arrived: " << status);
  }
};

} // namespace rtd::test
