#include "gateway/io_lane.hpp"

#include "gateway/ws_connection.hpp"

namespace rtd {

// Every sink of a lane is one of its ws_connections: the lane hands them out as their group.

void io_lane::deliver(frame f, std::shared_ptr<const std::vector<frame_sink_ptr>> sinks) {
  net::post(io_, [f = std::move(f), sinks = std::move(sinks)] {
    for (const auto& sink : *sinks)
      static_cast<ws_connection&>(*sink).send_here(f);
  });
}

void io_lane::deliver_to(frame_sink_ptr sink, std::vector<frame> frames) {
  net::post(io_, [sink = std::move(sink), frames = std::move(frames)] {
    auto& connection = static_cast<ws_connection&>(*sink);
    for (const auto& f : frames)
      connection.send_here(f);
  });
}

} // namespace rtd
