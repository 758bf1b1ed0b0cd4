// rtd-server's options: command line (`--name=value`) and config file (`[global]` section of
// the INI file given by --config-file, default caf-application.ini). Each option is declared
// once, in options.cpp, on the field of the component config it sets; its default is that
// field's initial value.
#pragma once

#include "actors/calculation_service.hpp"
#include "actors/market_simulator.hpp"
#include "actors/notifier.hpp"
#include "actors/system_monitor.hpp"
#include "gateway/gateway.hpp"

#include <caf/actor_system_config.hpp>

#include <iosfwd>
#include <string>

namespace rtd {

struct server_options {
  gateway_config gateway;
  market_simulator_config market;
  system_monitor_config system;
  notifier_config notifier;
  calculation_service_config calculations;
  std::size_t history_size = 1024; ///< publications kept per channel for recovery
  std::string data_dir = "./data";
  std::string node_name; ///< empty: hostname-pid
  std::string log_level = "info";
  std::string log_format = "text"; ///< or "json": one JSON object per line
  std::string jwt_secret_file;                 ///< empty: RTD_JWT_SECRET, else no authentication
  std::chrono::seconds jwt_leeway{30};         ///< clock skew forgiven on exp and nbf
  std::chrono::milliseconds auth_grace{10000}; ///< after `unauthorized`, before the 1008 close
  bool allow_anonymous = false; ///< serve a non-loopback address without authentication
};

/// The folder beside the running executable named `static`, where the build puts the
/// dashboard.
std::string default_static_dir();

/// CAF's configuration, extended with ours.
class server_config : public caf::actor_system_config {
public:
  server_config();

  /// Checks the parsed options and fills in the defaults that depend on the machine; returns
  /// an error message naming the first bad option, or an empty string.
  std::string finish();

  /// Writes a config file that sets every option to its default, each with its help text.
  void write_defaults(std::ostream& out);

  server_options options;
};

} // namespace rtd
