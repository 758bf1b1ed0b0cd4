#include "actors/calculation_service.hpp"

#include "actors/calculation_job.hpp"
#include "protocol/calculation_rules.hpp"
#include "protocol/codec.hpp"

#include <caf/all.hpp>

namespace rtd {

namespace {

using self_pointer = calculation_service_actor::stateful_pointer<calculation_service_state>;
using protocol::calculation_status;
using protocol::error_code;

/// An `error` for a `calculate` or `cancel` that starts (or stops) nothing.
template <class Request>
void reject(const Request& req, const char* request_type, const std::string& calculation_id,
            error_code code, std::string message) {
  protocol::error_reply err;
  err.id = req.id;
  err.code = code;
  err.message = std::move(message);
  err.request_type = request_type;
  err.calculation_id = calculation_id;
  req.sink->send(make_frame(protocol::encode(err)));
}

std::string new_calculation_id(calculation_service_state& st) {
  return "calc-" + std::to_string(st.next_generated_id++);
}

/// Serves a repeated request from the cache: `started`, then `completed` with `cached`.
void serve_cached(self_pointer self, const calculation_request& req, std::string calculation_id,
                  std::string result) {
  auto& st = self->state;
  protocol::calculation_update u;
  u.calculation_id = std::move(calculation_id);
  u.type = req.request.type;
  u.status = calculation_status::started;
  u.time = protocol::now();
  auto requester = req.requester.address();
  self->send(st.calculations, calculation_publication{u, requester, req.sink});
  u.status = calculation_status::completed;
  u.time = protocol::now();
  u.result_json = std::move(result);
  u.cached = true;
  u.duration_ms = 0.0;
  self->send(st.calculations, calculation_publication{std::move(u), requester, req.sink});
  ++st.completed;
}

void track(self_pointer self, std::uint64_t job, calculation_service_state::job_entry entry) {
  auto& st = self->state;
  if (st.jobs_per_session[entry.requester]++ == 0)
    self->monitor(entry.requester);
  st.job_of.emplace(std::make_pair(entry.requester, entry.calculation_id), job);
  self->monitor(entry.actor);
  st.jobs.emplace(job, std::move(entry));
}

void untrack(self_pointer self,
             std::unordered_map<std::uint64_t, calculation_service_state::job_entry>::iterator it) {
  auto& st = self->state;
  const auto& entry = it->second;
  st.job_of.erase({entry.requester, entry.calculation_id});
  if (--st.jobs_per_session[entry.requester] == 0) {
    st.jobs_per_session.erase(entry.requester);
    self->demonitor(entry.requester);
  }
  st.jobs.erase(it);
}

void start(self_pointer self, calculation_request& req) {
  auto& st = self->state;
  auto calculation_id =
      req.request.calculation_id ? *req.request.calculation_id : new_calculation_id(st);
  auto requester = req.requester.address();
  if (auto problem = protocol::validate(req.request))
    return reject(req, "calculate", calculation_id, problem->code, std::move(problem->message));
  if (st.job_of.count({requester, calculation_id}))
    return reject(req, "calculate", calculation_id, error_code::duplicate_calculation_id,
                  "calculation_id '" + calculation_id + "' is in use by a running calculation");
  auto running = st.jobs_per_session.find(requester);
  if (running != st.jobs_per_session.end() && running->second >= st.config.max_per_session)
    return reject(req, "calculate", calculation_id, error_code::too_many_calculations,
                  "at most " + std::to_string(st.config.max_per_session) +
                      " calculations may run at once per connection");
  bool uses_market = protocol::depends_on_market(req.request);
  if (uses_market && !st.market_rate)
    return reject(req, "calculate", calculation_id, error_code::internal,
                  "no market rate is known yet");
  double rate = uses_market ? *st.market_rate
                            : (req.request.parameters.discount_rate
                                   ? req.request.parameters.discount_rate->value
                                   : 0.0);
  // Live results change with the market, and unseeded Monte Carlo is meant to differ.
  bool cacheable =
      !req.request.live && (req.request.type != protocol::calculation_type::monte_carlo ||
                            req.request.parameters.seed.has_value());
  std::string key;
  if (cacheable) {
    key = protocol::cache_key(req.request, rate);
    if (auto hit = st.cache->find(key, result_cache::clock::now()))
      return serve_cached(self, req, std::move(calculation_id), std::move(*hit));
  }
  auto job = st.next_job++;
  auto type = req.request.type;
  bool live = req.request.live;
  auto actor = self->spawn(calculation_job,
                           calculation_job_config{job, calculation_id, std::move(req.request), rate,
                                                  uses_market ? st.market_seq : 0, requester,
                                                  req.sink, st.calculations,
                                                  caf::actor_cast<calculation_service_actor>(self),
                                                  st.config.chunk_iterations});
  track(self, job, {actor, requester, calculation_id, type, live, std::move(key), req.sink});
}

void end_job(self_pointer self, job_outcome& outcome) {
  auto& st = self->state;
  auto it = st.jobs.find(outcome.job);
  if (it == st.jobs.end())
    return;
  auto& u = outcome.update;
  if (u.status == calculation_status::completed) {
    ++st.completed;
    st.total_ms += u.duration_ms.value_or(0.0);
    if (!it->second.cache_key.empty())
      st.cache->insert(it->second.cache_key, u.result_json, result_cache::clock::now());
  } else if (u.status == calculation_status::failed) {
    ++st.failed;
  }
  calculation_publication p{std::move(u), it->second.requester, it->second.requester_sink};
  untrack(self, it);
  self->send(st.calculations, std::move(p));
}

/// A job that died without reporting its end (it threw past its own guard) has failed.
void job_died(self_pointer self, std::uint64_t job) {
  auto& entry = self->state.jobs.at(job);
  job_outcome outcome;
  outcome.job = job;
  outcome.update.calculation_id = entry.calculation_id;
  outcome.update.type = entry.type;
  outcome.update.status = calculation_status::failed;
  outcome.update.time = protocol::now();
  outcome.update.error = error_code::internal;
  outcome.update.error_message = "the calculation stopped unexpectedly";
  end_job(self, outcome);
}

void on_down(self_pointer self, const caf::down_msg& msg) {
  auto& st = self->state;
  for (auto& [job, entry] : st.jobs) {
    if (entry.actor.address() == msg.source) {
      job_died(self, job);
      return;
    }
  }
  // A requester left: its jobs are cancelled (each reports `cancelled` to the channel).
  for (auto& [job, entry] : st.jobs)
    if (entry.requester == msg.source)
      self->send(entry.actor, cancel_atom::value, protocol::correlation_id{});
}

calculation_stats stats_of(const calculation_service_state& st) {
  calculation_stats s;
  s.cache_hits = st.cache->hits();
  s.cache_misses = st.cache->misses();
  s.cache_entries = st.cache->size();
  s.cache_evictions = st.cache->evictions();
  s.running = st.jobs.size();
  s.completed = st.completed;
  s.failed = st.failed;
  s.avg_ms = st.completed > 0 ? st.total_ms / static_cast<double>(st.completed) : 0.0;
  return s;
}

} // namespace

calculation_service_actor::behavior_type calculation_service(self_pointer self,
                                                             calculation_service_config config,
                                                             channel_actor calculations) {
  auto& st = self->state;
  st.config = config;
  st.calculations = std::move(calculations);
  st.cache.emplace(config.cache_max_entries, config.cache_ttl);
  self->set_down_handler([self](caf::down_msg& msg) { on_down(self, msg); });
  return {
      [self](calculation_request& req) { start(self, req); },
      [self](cancellation& c) {
        auto& st = self->state;
        auto it = st.job_of.find({c.requester.address(), c.calculation_id});
        if (it == st.job_of.end())
          return reject(c, "cancel", c.calculation_id, error_code::not_found,
                        "no running calculation '" + c.calculation_id + "'");
        self->send(st.jobs.at(it->second).actor, cancel_atom::value, std::move(c.id));
      },
      [self](market_step& market) {
        auto& st = self->state;
        st.market_rate = market.values[protocol::market_indicator::discount_rate];
        st.market_seq = market.seq;
        for (auto& [job, entry] : st.jobs)
          if (entry.live)
            self->send(entry.actor, market);
      },
      [self](job_outcome& outcome) { end_job(self, outcome); },
      [self](caf::get_atom) { return stats_of(self->state); },
  };
}

} // namespace rtd
