// rtd-server's options: command line (`--name=value`) and config file (`[global]` section of
// the INI file given by --config-file, default caf-application.ini), with defaults and checks.
#pragma once

#include "gateway/gateway.hpp"

#include <caf/actor_system_config.hpp>

#include <cstdint>
#include <string>

namespace rtd {

struct server_options {
  gateway_config gateway;
  std::int64_t market_interval_ms = 10000;
  std::int64_t system_interval_ms = 5000;
  std::uint64_t seed = 0; ///< 0: random
  std::string data_dir = "./data";
  std::size_t history_size = 1024;
  std::string node_name; ///< empty: hostname-pid
  std::uint32_t notification_rate = 10;
  std::string log_level = "info";
  std::size_t max_calculations_per_session = 4;
  std::size_t cache_max_entries = 1000;
  std::int64_t cache_ttl_ms = 300000;
  std::uint64_t calculation_chunk = 65536;
};

/// The folder beside the running executable named `static`, where the build puts the
/// dashboard.
std::string default_static_dir();

/// CAF's configuration, extended with ours.
class server_config : public caf::actor_system_config {
public:
  server_config();

  /// Reads the options' raw values into `options` and checks them; returns an error message
  /// naming the first bad option, or an empty string.
  std::string finish();

  server_options options;

private:
  // Raw values as CAF parses them; converted and checked by finish().
  std::int64_t port_ = 8000;
  std::int64_t io_threads_ = 0;
  std::int64_t max_message_size_ = 65536;
  std::int64_t outbound_queue_frames_ = 1024;
  std::int64_t outbound_queue_bytes_ = 1 << 20;
  std::int64_t close_timeout_ms_ = 5000;
  std::int64_t shutdown_grace_ms_ = 1000;
  double rate_limit_ = 100;
  double rate_burst_ = 200;
  std::int64_t rate_limit_close_after_s_ = 10;
  std::int64_t max_connections_ = 10000;
  std::int64_t max_http_body_ = 65536;
  std::int64_t history_size_ = 1024;
  std::int64_t notification_rate_ = 10;
  std::int64_t seed_ = 0;
  std::int64_t max_calculations_per_session_ = 4;
  std::int64_t cache_max_entries_ = 1000;
  std::int64_t calculation_chunk_ = 65536;
};

} // namespace rtd
