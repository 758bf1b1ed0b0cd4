#include "actors/calculation_offload.hpp"

#include <caf/all.hpp>

#include <algorithm>

namespace rtd {

const member_view* least_loaded(const std::vector<member_view>& members, std::size_t running,
                                const std::map<std::string, std::size_t>& handed) {
  const member_view* best = nullptr;
  std::uint64_t best_load = running; // a member must run fewer than this node
  for (const auto& m : members) {
    auto h = handed.find(m.name);
    auto load = std::max<std::uint64_t>(m.calculations_running, h == handed.end() ? 0 : h->second);
    if (load < best_load) {
      best = &m;
      best_load = load;
    }
  }
  return best;
}

bool ends_job(const protocol::calculation_update& u) {
  using protocol::calculation_status;
  return u.status == calculation_status::failed || u.status == calculation_status::cancelled ||
         (u.status == calculation_status::completed && !u.live.value_or(false));
}

calculation_stand_in_actor::behavior_type
calculation_stand_in(calculation_stand_in_actor::stateful_pointer<calculation_stand_in_state> self,
                     calculation_service_actor origin, std::uint64_t job) {
  // The origin gone (its node lost or stopped) or the job ended: the stand-in ends, and the
  // worker's service, which sees its requester leave, cancels the job if it still runs.
  self->monitor(origin);
  self->set_down_handler([self](caf::down_msg&) { self->quit(); });
  return {
      [self, origin, job](calculation_publication& p) {
        self->send(origin, offloaded_updates{job, std::move(p.updates)});
      },
      [self, origin, job](live_calculation_event& event) {
        event.job = job;
        self->send(origin, std::move(event));
      },
      [self](offloaded_cancel& c) {
        self->send(self->state.job, cancel_atom::value, std::move(c.id));
      },
      [self](job_inputs& inputs) { self->send(self->state.job, std::move(inputs)); },
      [self](caf::join_atom, calculation_job_actor& j) {
        self->monitor(j);
        self->state.job = std::move(j);
      },
  };
}

} // namespace rtd
