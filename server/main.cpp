// rtd-server: one rtd node. Starts the actors and the gateway, serves until SIGINT/SIGTERM,
// then closes every client with 1001 and exits 0.
#include "server/node.hpp"
#include "server/options.hpp"
#include "server/thread_scheduling.hpp"

#include "log/log.hpp"
#include <caf/actor_system.hpp>

#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>

#include <pthread.h>

namespace {

/// Blocks the stop signals in this thread (and so in every thread started after) so that
/// main can wait for them with sigwait.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

} // namespace

int main(int argc, char** argv) {
  auto stop_signals = block_stop_signals();
  rtd::server_config config;
  if (argc == 2 && std::string_view{argv[1]} == "--print-config") {
    config.write_defaults(std::cout);
    return 0;
  }
  if (auto err = config.parse(argc, argv)) {
    std::cerr << "rtd-server: " << caf::to_string(err) << " (see --help)\n";
    return 2;
  }
  if (config.cli_helptext_printed)
    return 0;
  if (auto problem = config.finish(); !problem.empty()) {
    std::cerr << "rtd-server: invalid configuration: " << problem << "\n";
    return 2;
  }
  const auto& options = config.options;
  rtd::log::configure(options.log_format == "json" ? rtd::log::format::json
                                                   : rtd::log::format::text,
                      spdlog::level::from_str(options.log_level), options.node_name);
  rtd::use_batch_scheduling();
  caf::actor_system system{config};
  try {
    rtd::node node{system, options};
    // Printed whatever the log level: scripts started with --port=0 read the port from it.
    const auto& host = options.gateway.host;
    const bool tls = !options.gateway.tls_cert.empty();
    auto port = std::to_string(node.port());
    rtd::log::announce("listening", "rtd-server " + options.node_name + " listening on " +
                                        (tls ? "https" : "http") + "://" + host + ":" + port +
                                        " (WebSocket " + (tls ? "wss" : "ws") + "://" + host + ":" +
                                        port + "/ws)");
    int signal = 0;
    sigwait(&stop_signals, &signal);
    rtd::log::info("stopping", std::string{strsignal(signal)} + " received, closing clients");
    node.stop();
  } catch (const std::exception& e) {
    rtd::log::error("start_failed", e.what());
    return 1;
  }
  rtd::log::info("stopped", "rtd-server stopped");
  return 0;
}
