// A node's channels and its clients, for actor tests: real session actors whose frames a
// recording sink keeps, as a WebSocket client would receive them.
#pragma once

#include "actors/channel.hpp"
#include "actors/session.hpp"
#include "tests/actors/fixture.hpp"

namespace rtd::test {

struct node_fixture : fixture {
  channel_set channels;
  std::shared_ptr<session_context> context = std::make_shared<session_context>();

  explicit node_fixture(std::size_t history_size = 64, const std::string& epoch = "e") {
    for (auto c : protocol::all_channels)
      channels[static_cast<std::size_t>(c)] =
          sys.spawn(channel, channel_config{c, epoch, history_size, 8 << 20, nullptr, nullptr});
    context->channels = channels;
    context->node = "test-node";
    fixture::run();
  }

  ~node_fixture() {
    for (auto& c : channels)
      kill(c);
  }

  struct client {
    std::shared_ptr<recording_sink> sink;
    session_actor actor;
  };

  /// A connected client (the gateway, not the session, sends `welcome`).
  client connect(auth::verification verified = auth::rejection{"no token"}) {
    auto sink = std::make_shared<recording_sink>();
    auto actor = sys.spawn(session, std::shared_ptr<const session_context>(context), sink,
                           std::move(verified));
    fixture::run();
    return {sink, actor};
  }

  /// Sends a client message to `c`'s session (without running the scheduler).
  void send(const client& c, protocol::client_body body, protocol::correlation_id id = {}) {
    caf::anon_send(c.actor, protocol::client_message{std::move(id), std::move(body)});
  }

  /// A client subscribed to `ch`, its sink emptied.
  client subscriber(protocol::channel ch) {
    auto c = connect();
    send(c, protocol::subscribe_request{ch, {}, {}});
    fixture::run();
    c.sink->take();
    return c;
  }
};

} // namespace rtd::test
