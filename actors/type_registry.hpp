// The one place that names rtd's message types for CAF. Every node registers the same types
// under the same names, so that messages cross nodes: a name missing on one side, or spelt
// differently, makes the connect fail (the interfaces no longer match) rather than a message
// vanish later. Node-local messages (those holding sinks or shared frames) are not here: see
// the end of interfaces.hpp.
#pragma once

#include <caf/fwd.hpp>

namespace rtd {

/// Registers every inspectable rtd message type; call it before the actor system is built.
void register_types(caf::actor_system_config& config);

} // namespace rtd
