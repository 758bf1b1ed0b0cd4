// One I/O thread's share of the gateway: an io_context that only that thread runs (so the
// connections on it need no strand) and the delivery group of those connections.
#pragma once

#include "actors/frame_sink.hpp"
#include "gateway/beast.hpp"

namespace rtd {

class io_lane : public delivery_group {
public:
  net::io_context& io() { return io_; }

  void deliver(frame f, std::shared_ptr<const std::vector<frame_sink_ptr>> sinks) override;
  void deliver_to(frame_sink_ptr sink, std::vector<frame> frames) override;

private:
  net::io_context io_{1};
};

} // namespace rtd
