// How a calculation runs on another member of the cluster. A node that runs
// `offload_above` calculations or more hands a new one, validated and with its market inputs
// resolved, to the member that runs the fewest (when that is fewer than this node). There a
// stand-in plays the requester and the channel for the job: it passes the job's updates back,
// and the origin publishes them as if the job ran locally (to the requester directly, and on
// `calculations` through the leader's sequencer). A worker lost from the membership ends its
// jobs `failed` (internal, naming the node) on the origin; an origin lost ends its stand-ins,
// which cancels their jobs.
#pragma once

#include "actors/interfaces.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rtd {

/// The member to hand a calculation to, or null: the other live members' views (with a
/// calculation service), this node's running count, and how many jobs this node handed each
/// member since (a report lags). A member counts as running the larger of what it reported
/// and what this node handed it.
const member_view* least_loaded(const std::vector<member_view>& members, std::size_t running,
                                const std::map<std::string, std::size_t>& handed);

/// Whether `u` ends its job (a live job's `completed` does not).
bool ends_job(const protocol::calculation_update& u);

struct calculation_stand_in_state {
  static inline const char* name = "calculation_stand_in";
  calculation_job_actor job;
};

/// Stands in for the requester on `origin`, whose job number is `job`.
calculation_stand_in_actor::behavior_type
calculation_stand_in(calculation_stand_in_actor::stateful_pointer<calculation_stand_in_state> self,
                     calculation_service_actor origin, std::uint64_t job);

} // namespace rtd
