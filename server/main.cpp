// rtd-server: one rtd node. Starts the actors and the gateway, serves until SIGINT/SIGTERM,
// then closes every client with 1001 and exits 0.
#include "server/node.hpp"
#include "server/options.hpp"

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
  spdlog::set_level(spdlog::level::from_str(options.log_level));
  caf::actor_system system{config};
  try {
    rtd::node node{system, options};
    // Printed whatever the log level: scripts started with --port=0 read the port from it.
    const auto& host = options.gateway.host;
    const bool tls = !options.gateway.tls_cert.empty();
    std::cout << "rtd-server " << options.node_name << " listening on " << (tls ? "https" : "http")
              << "://" << host << ':' << node.port() << " (WebSocket " << (tls ? "wss" : "ws")
              << "://" << host << ':' << node.port() << "/ws)" << std::endl;
    int signal = 0;
    sigwait(&stop_signals, &signal);
    spdlog::info("rtd-server: {} received, closing clients", strsignal(signal));
    node.stop();
  } catch (const std::exception& e) {
    spdlog::error("rtd-server: {}", e.what());
    return 1;
  }
  spdlog::info("rtd-server: stopped");
  return 0;
}
