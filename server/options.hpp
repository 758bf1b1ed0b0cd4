// rtd-server's options: command line (`--name=value`) and config file (`[global]` section of
// the INI file given by --config-file, default caf-application.ini). Each option is declared
// once, in options.cpp, on the field of the component config it sets; its default is that
// field's initial value.
#pragma once

#include "actors/alert_book.hpp"
#include "actors/analytics.hpp"
#include "actors/calculation_pool.hpp"
#include "actors/calculation_service.hpp"
#include "actors/cluster.hpp"
#include "actors/history_store.hpp"
#include "actors/market_simulator.hpp"
#include "actors/notifier.hpp"
#include "actors/redis_config.hpp"
#include "actors/system_monitor.hpp"
#include "gateway/gateway.hpp"
#include "server/option_types.hpp"

#include <caf/actor_system_config.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace rtd {

struct server_options {
  gateway_config gateway;
  market_simulator_config market;
  system_monitor_config system;
  notifier_config notifier;
  calculation_service_config calculations;
  analytics_config analytics;
  cluster_config cluster;
  calculation_pool_config calculation_pool;
  std::size_t history_size = 1024;     ///< publications kept per channel for recovery
  std::size_t history_bytes = 4 << 20; ///< and at most this many bytes of them
  std::string data_dir = "./data";
  std::string history = "on"; ///< "off": the ring only, nothing on disk
  history_store_config store = default_history_store_config();
  std::size_t journal_bytes = 4 << 20; ///< each channel's crash journal
  std::size_t max_alerts_per_session = 20;
  string_list alerts;               ///< the server's alerts, as configured
  std::vector<alert> server_alerts; ///< the same, parsed by finish()
  std::string node_name;            ///< empty: hostname-pid
  std::string log_level = "info";
  std::string log_format = "text";             ///< or "json": one JSON object per line
  std::string jwt_secret_file;                 ///< empty: RTD_JWT_SECRET, else no authentication
  std::chrono::seconds jwt_leeway{30};         ///< clock skew forgiven on exp and nbf
  std::chrono::milliseconds auth_grace{10000}; ///< after `unauthorized`, before the 1008 close
  bool allow_anonymous = false;    ///< serve a non-loopback address without authentication
  std::string redis_url;           ///< empty: no Redis bridge
  std::string redis_password_file; ///< empty: REDIS_PASSWORD, else no AUTH
  std::vector<std::string> redis_egress{"market_data", "notifications"};
  std::vector<std::string> redis_ingest{"notifications"};
  redis_bridge_config redis; ///< endpoint and channels: from the above, by finish()
};

/// The folder beside the running executable named `static`, where the build puts the
/// dashboard.
std::string default_static_dir();

/// CAF's configuration, extended with ours.
class server_config : public caf::actor_system_config {
public:
  server_config();

  /// Parses the config file, then the command line (CAF's parse), with one rtd rule on top:
  /// a list given on the command line replaces the config file's and the default.
  caf::error parse(int argc, char** argv);

  /// Checks the parsed options and fills in the defaults that depend on the machine; returns
  /// an error message naming the first bad option, or an empty string.
  std::string finish();

  /// Writes a config file that sets every option to its default, each with its help text.
  void write_defaults(std::ostream& out);

  server_options options;
};

} // namespace rtd
