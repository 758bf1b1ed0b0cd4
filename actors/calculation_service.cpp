#include "actors/calculation_service.hpp"

#include "actors/calculation_admission.hpp"
#include "actors/calculation_inputs.hpp"
#include "actors/calculation_job.hpp"
#include "protocol/calculation_rules.hpp"
#include "protocol/codec.hpp"

#include <caf/all.hpp>

namespace rtd {

namespace {

using self_pointer = calculation_service_actor::stateful_pointer<calculation_service_state>;
using job_iterator =
    std::unordered_map<std::uint64_t, calculation_service_state::job_entry>::iterator;
using protocol::calculation_status;
using protocol::error_code;

/// The `error` for a `calculate` or `cancel` that starts (or stops) nothing.
void send_error(const frame_sink_ptr& sink, const protocol::correlation_id& id,
                const char* request_type, const std::string& calculation_id, error_code code,
                std::string message) {
  protocol::error_reply err;
  err.id = id;
  err.code = code;
  err.message = std::move(message);
  err.request_type = request_type;
  err.calculation_id = calculation_id;
  sink->send(make_frame(protocol::encode(err)));
}

template <class Request>
void reject(const Request& req, const char* request_type, const std::string& calculation_id,
            error_code code, std::string message) {
  send_error(req.sink, req.id, request_type, calculation_id, code, std::move(message));
}

std::string new_calculation_id(calculation_service_state& st) {
  return "calc-" + std::to_string(st.next_generated_id++);
}

metrics::calculation_outcome outcome_of(calculation_status s) {
  return s == calculation_status::completed ? metrics::calculation_outcome::completed
         : s == calculation_status::failed  ? metrics::calculation_outcome::failed
                                            : metrics::calculation_outcome::cancelled;
}

/// After every change: what /metrics reads.
void update_figures(const calculation_service_state& st) {
  st.figures->running.store(st.jobs.size(), std::memory_order_relaxed);
  st.figures->cache_entries.store(st.cache->size(), std::memory_order_relaxed);
  st.figures->cache_bytes.store(st.cache->bytes(), std::memory_order_relaxed);
}

/// Registers what /metrics reads of the service (once, at start).
void register_sources(calculation_service_state& st) {
  auto read =
      [figures = st.figures](std::atomic<std::uint64_t> calculation_service_state::gauges::*field) {
        return [figures, field] {
          return static_cast<double>(((*figures).*field).load(std::memory_order_relaxed));
        };
      };
  using g = calculation_service_state::gauges;
  st.metrics->add_gauge_source(metrics::sources::calculations_running, {}, read(&g::running));
  st.metrics->add_gauge_source(metrics::sources::cache_entries, {}, read(&g::cache_entries));
  st.metrics->add_gauge_source(metrics::sources::cache_size, {}, read(&g::cache_bytes));
}

/// Serves a repeated request from the cache: `started` and `completed` (with `cached`), in
/// one write.
void serve_cached(self_pointer self, const calculation_request& req, std::string calculation_id,
                  std::string result) {
  auto& st = self->state;
  protocol::calculation_update started;
  started.calculation_id = std::move(calculation_id);
  started.type = req.request.type;
  started.status = calculation_status::started;
  started.time = protocol::now();
  auto completed = started;
  completed.status = calculation_status::completed;
  completed.result_json = std::move(result);
  completed.cached = true;
  completed.duration_ms = 0.0;
  self->send(st.calculations, calculation_publication{{std::move(started), std::move(completed)},
                                                      req.requester.address(),
                                                      req.sink});
  ++st.completed;
  if (st.metrics)
    st.metrics->calculation_finished(req.request.type, metrics::calculation_outcome::completed);
}

/// Removes expired cache entries, and comes back while any are left to expire.
void sweep_cache(self_pointer self) {
  auto& st = self->state;
  st.sweep_pending = false;
  st.cache->expire(self->clock().now());
  update_figures(st);
  if (st.cache->size() == 0)
    return;
  st.sweep_pending = true;
  self->delayed_send(self, st.config.cache_sweep, caf::tick_atom::value);
}

void track(self_pointer self, std::uint64_t job, calculation_service_state::job_entry entry) {
  auto& st = self->state;
  // A requester stays monitored until it leaves, not just while it has jobs: one monitor per
  // session instead of one per calculation.
  auto [count, first] = st.jobs_per_session.try_emplace(entry.requester, 0);
  if (first)
    self->monitor(entry.requester);
  ++count->second;
  st.job_of.emplace(std::make_pair(entry.requester, entry.calculation_id), job);
  st.jobs.emplace(job, std::move(entry));
}

void untrack(self_pointer self, job_iterator it) {
  auto& st = self->state;
  const auto& entry = it->second;
  st.job_of.erase({entry.requester, entry.calculation_id});
  --st.jobs_per_session[entry.requester];
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
  auto resolved = resolve_inputs(req.request, st.series, st.analytics);
  if (auto* problem = std::get_if<protocol::parameter_error>(&resolved))
    return reject(req, "calculate", calculation_id, problem->code, std::move(problem->message));
  auto& inputs = std::get<job_inputs>(resolved);
  // Live results change with the market, and unseeded Monte Carlo is meant to differ.
  bool cacheable =
      !req.request.live && (req.request.type != protocol::calculation_type::monte_carlo ||
                            req.request.parameters.seed.has_value());
  std::optional<result_cache::key> key;
  if (cacheable) {
    key = result_cache::key_of(protocol::cache_key(req.request, inputs.inputs));
    auto hit = st.cache->find(*key, self->clock().now());
    if (st.metrics)
      hit ? st.metrics->cache_hit() : st.metrics->cache_miss();
    if (hit)
      return serve_cached(self, req, std::move(calculation_id), std::move(*hit));
  }
  auto decision = admit(req.request, inputs.inputs.history.size(), st.jobs.size(),
                        {st.config.max_calculations, st.config.inline_work}, st.memory);
  if (!decision.admitted) {
    ++st.refused;
    return reject(req, "calculate", calculation_id, error_code::too_many_calculations,
                  std::move(decision.refusal));
  }
  auto& plan = *decision.admitted;
  auto job = st.next_job++;
  auto type = req.request.type;
  std::shared_ptr<const protocol::calculate_request> live;
  if (req.request.live &&
      protocol::depends_on_market(req.request) != protocol::market_dependence::none)
    live = std::make_shared<const protocol::calculate_request>(req.request);
  calculation_job_config cfg{job,
                             calculation_id,
                             std::move(req.request),
                             std::move(inputs.inputs),
                             inputs.market_seq,
                             requester,
                             req.sink,
                             st.calculations,
                             caf::actor_cast<calculation_service_actor>(self),
                             plan.heavy ? st.executor : nullptr,
                             st.config.chunk_work,
                             plan.sample_memory,
                             std::move(plan.memory),
                             key.has_value()};
  auto actor = self->spawn(calculation_job, std::move(cfg));
  track(self, job,
        {actor, requester, calculation_id, type, std::move(live), key, req.sink, std::nullopt});
  update_figures(st);
}

/// Tells each live job that depends on `what` its inputs now; it re-runs when they changed.
void update_live_jobs(self_pointer self, protocol::market_dependence what) {
  auto& st = self->state;
  for (auto& [job, entry] : st.jobs) {
    if (!entry.live || protocol::depends_on_market(*entry.live) != what)
      continue;
    // What resolved when the job started still does: the series only grows.
    auto resolved = resolve_inputs(*entry.live, st.series, st.analytics);
    if (auto* inputs = std::get_if<job_inputs>(&resolved))
      self->send(entry.actor, std::move(*inputs));
  }
}

void end_job(self_pointer self, const job_outcome& outcome) {
  auto& st = self->state;
  auto it = st.jobs.find(outcome.job);
  if (it == st.jobs.end())
    return;
  auto& entry = it->second;
  if (st.metrics) {
    st.metrics->calculation_finished(entry.type, outcome_of(outcome.status));
    if (outcome.status == calculation_status::completed)
      st.metrics->observe_calculation_duration(
          entry.type, std::chrono::duration<double, std::milli>(outcome.duration_ms));
  }
  if (outcome.status == calculation_status::completed) {
    ++st.completed;
    st.total_ms += outcome.duration_ms;
    if (entry.cache_key && outcome.result_json) {
      auto evicted = st.cache->evictions();
      st.cache->insert(*entry.cache_key, *outcome.result_json, self->clock().now());
      keep(st.config.persistence, *entry.cache_key, *outcome.result_json);
      for (auto n = st.cache->evictions() - evicted; st.metrics && n > 0; --n)
        st.metrics->cache_eviction();
      if (!st.sweep_pending) {
        st.sweep_pending = true;
        self->delayed_send(self, st.config.cache_sweep, caf::tick_atom::value);
      }
    }
  } else if (outcome.status == calculation_status::failed) {
    ++st.failed;
  }
  // The job ended before it saw the client's cancel, which still gets its one reply.
  if (entry.cancel && outcome.status != calculation_status::cancelled)
    send_error(entry.requester_sink, *entry.cancel, "cancel", entry.calculation_id,
               error_code::not_found,
               "calculation '" + entry.calculation_id + "' ended before it could be cancelled");
  untrack(self, it);
  update_figures(st);
}

/// A job that ended without its final update (it failed past its own guards) has failed.
void job_lost(self_pointer self, const job_outcome& outcome) {
  auto it = self->state.jobs.find(outcome.job);
  if (it == self->state.jobs.end())
    return;
  const auto& entry = it->second;
  protocol::calculation_update u;
  u.calculation_id = entry.calculation_id;
  u.type = entry.type;
  u.status = calculation_status::failed;
  u.time = protocol::now();
  u.error = error_code::internal;
  u.error_message = "the calculation stopped unexpectedly";
  calculation_publication p{{std::move(u)}, entry.requester, entry.requester_sink};
  end_job(self, outcome);
  self->send(self->state.calculations, std::move(p));
}

/// A requester left: its calculations are cancelled (each reports `cancelled`).
void on_down(self_pointer self, const caf::down_msg& msg) {
  auto& st = self->state;
  st.jobs_per_session.erase(msg.source);
  for (auto& [job, entry] : st.jobs)
    if (entry.requester == msg.source)
      self->send(entry.actor, cancel_atom::value, protocol::correlation_id{});
}

void cancel(self_pointer self, cancellation& c) {
  auto& st = self->state;
  auto it = st.job_of.find({c.requester.address(), c.calculation_id});
  if (it == st.job_of.end())
    return reject(c, "cancel", c.calculation_id, error_code::not_found,
                  "no running calculation '" + c.calculation_id + "'");
  auto& entry = st.jobs.at(it->second);
  if (entry.cancel)
    return reject(c, "cancel", c.calculation_id, error_code::not_found,
                  "calculation '" + c.calculation_id + "' is being cancelled already");
  entry.cancel = c.id;
  self->send(entry.actor, cancel_atom::value, std::move(c.id));
}

calculation_stats stats_of(const calculation_service_state& st) {
  calculation_stats s;
  const auto& cache = *st.cache;
  s.cache_hits = cache.hits();
  s.cache_misses = cache.misses();
  s.cache_entries = cache.size();
  s.cache_evictions = cache.evictions();
  s.cache_expired = cache.expired();
  s.cache_bytes = cache.bytes();
  s.running = st.jobs.size();
  s.completed = st.completed;
  s.failed = st.failed;
  s.avg_ms = st.completed > 0 ? st.total_ms / static_cast<double>(st.completed) : 0.0;
  s.memory_bytes = st.memory->used();
  s.refused = st.refused;
  return s;
}

} // namespace

calculation_service_actor::behavior_type
calculation_service(self_pointer self, calculation_service_config config,
                    channel_actor calculations, std::shared_ptr<calculation_executor> executor,
                    std::shared_ptr<metrics::node_metrics> metrics) {
  auto& st = self->state;
  st.metrics = std::move(metrics);
  st.config = config;
  st.calculations = std::move(calculations);
  st.executor = std::move(executor);
  st.memory = std::make_shared<memory_budget>(config.memory_bytes);
  st.series = market_series{config.forecast_history};
  st.cache.emplace(
      result_cache::limits{config.cache_max_entries, config.cache_max_bytes, config.cache_ttl});
  warm(*st.cache, config.persistence.saved, self->clock().now());
  st.config.persistence.saved = {}; // in the cache now
  if (st.metrics)
    register_sources(st);
  sweep_cache(self); // the figures, and a sweep for what was warmed
  self->set_down_handler([self](caf::down_msg& msg) { on_down(self, msg); });
  // Told to exit (shutdown): every job ends with the service, wherever its chunks are.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    for (auto& [job, entry] : self->state.jobs)
      self->send_exit(entry.actor, msg.reason);
    self->quit(msg.reason);
  });
  return {
      [self](calculation_request& req) { start(self, req); },
      [self](cancellation& c) { cancel(self, c); },
      [self](market_step& market) {
        self->state.series.append(market);
        update_live_jobs(self, protocol::market_dependence::market_step);
      },
      [self](protocol::analytics_update& update) {
        self->state.analytics = std::move(update);
        update_live_jobs(self, protocol::market_dependence::analytics);
      },
      [self](market_history& stored) { self->state.series.prepend(stored.steps); },
      [self](job_outcome& outcome) {
        if (outcome.lost)
          job_lost(self, outcome);
        else
          end_job(self, outcome);
      },
      [self](caf::tick_atom) { sweep_cache(self); },
      [self](caf::get_atom) { return stats_of(self->state); },
  };
}

} // namespace rtd
