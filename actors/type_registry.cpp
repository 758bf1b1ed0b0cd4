#include "actors/type_registry.hpp"

#include "actors/interfaces.hpp"

#include <caf/actor_system_config.hpp>

namespace rtd {

void register_types(caf::actor_system_config& config) {
  // What channels publish (part of the relay between nodes) ...
  config.add_message_type<protocol::publication_body>("rtd::protocol::publication_body");
  config.add_message_type<protocol::market_snapshot>("rtd::protocol::market_snapshot");
  config.add_message_type<protocol::notification>("rtd::protocol::notification");
  config.add_message_type<protocol::system_status>("rtd::protocol::system_status");
  config.add_message_type<protocol::calculation_update>("rtd::protocol::calculation_update");
  config.add_message_type<protocol::analytics_update>("rtd::protocol::analytics_update");
  config.add_message_type<protocol::client_message>("rtd::protocol::client_message");
  config.add_message_type<protocol::calculate_request>("rtd::protocol::calculate_request");
  // ... the node's own figures and steps ...
  config.add_message_type<market_step>("rtd::market_step");
  config.add_message_type<job_outcome>("rtd::job_outcome");
  config.add_message_type<calculation_stats>("rtd::calculation_stats");
  // ... the calculations one node hands another ...
  config.add_message_type<offloaded_calculation>("rtd::offloaded_calculation");
  config.add_message_type<offload_answer>("rtd::offload_answer");
  config.add_message_type<offloaded_updates>("rtd::offloaded_updates");
  config.add_message_type<offloaded_cancel>("rtd::offloaded_cancel");
  config.add_message_type<job_inputs>("rtd::job_inputs");
  config.add_message_type<live_calculation_event>("rtd::live_calculation_event");
  // ... and the cluster's own messages.
  config.add_message_type<member_hello>("rtd::member_hello");
  config.add_message_type<join_answer>("rtd::join_answer");
  config.add_message_type<member_load>("rtd::member_load");
  config.add_message_type<relayed_publication>("rtd::relayed_publication");
  config.add_message_type<forwarded_publication>("rtd::forwarded_publication");
  config.add_message_type<cluster_view>("rtd::cluster_view");
}

} // namespace rtd
