#include "actors/calculation_service.hpp"

#include "actors/calculation_admission.hpp"
#include "actors/calculation_inputs.hpp"
#include "actors/calculation_job.hpp"
#include "actors/calculation_offload.hpp"
#include "protocol/calculation_rules.hpp"
#include "protocol/codec.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <map>
#include <set>

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

/// Calculations running on this node (those handed to other members run there).
std::size_t running_here(const calculation_service_state& st) {
  return st.jobs.size() - st.offloaded;
}

/// After every change: what /metrics and the cluster read.
void update_figures(const calculation_service_state& st) {
  auto& figures = *st.config.figures;
  figures.running.store(running_here(st), std::memory_order_relaxed);
  figures.cache_entries.store(st.cache->size(), std::memory_order_relaxed);
  figures.cache_bytes.store(st.cache->bytes(), std::memory_order_relaxed);
}

/// Registers what /metrics reads of the service (once, at start).
void register_sources(calculation_service_state& st) {
  auto read = [figures = st.config.figures](std::atomic<std::uint64_t> calculation_gauges::*field) {
    return [figures, field] {
      return static_cast<double>(((*figures).*field).load(std::memory_order_relaxed));
    };
  };
  using g = calculation_gauges;
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
  // Not there once the requester has left (on_down).
  if (auto count = st.jobs_per_session.find(entry.requester); count != st.jobs_per_session.end())
    --count->second;
  if (!entry.worker.empty())
    --st.offloaded;
  st.jobs.erase(it);
}

/// Starts a job as `plan` admitted it, tracked as `entry` (its actor filled in).
calculation_job_actor run_job(self_pointer self, calculation_service_state::job_entry entry,
                              protocol::calculate_request request, job_inputs inputs,
                              admission& plan) {
  auto& st = self->state;
  auto job = st.next_job++;
  calculation_job_config cfg{job,
                             entry.calculation_id,
                             std::move(request),
                             std::move(inputs.inputs),
                             inputs.market_seq,
                             entry.requester,
                             entry.requester_sink,
                             entry.publisher,
                             caf::actor_cast<calculation_service_actor>(self),
                             plan.heavy ? st.executor : nullptr,
                             st.config.chunk_work,
                             plan.sample_memory,
                             std::move(plan.memory),
                             entry.cache_key.has_value()};
  entry.actor = self->spawn(calculation_job, std::move(cfg));
  auto actor = entry.actor;
  track(self, job, std::move(entry));
  update_figures(st);
  return actor;
}

/// Tells a job to cancel wherever it runs; one still being handed over is told once its
/// member has answered (see taken).
void tell_cancel(self_pointer self, calculation_service_state::job_entry& entry,
                 protocol::correlation_id id) {
  if (entry.actor)
    self->send(entry.actor, cancel_atom::value, std::move(id));
  else if (entry.stand_in)
    self->send(entry.stand_in, offloaded_cancel{std::move(id)});
  else if (!entry.cancel)
    entry.cancel = std::move(id);
}

/// A live job's inputs now, wherever it runs (one still being handed over gets them once its
/// member has answered).
void tell_inputs(self_pointer self, const calculation_service_state::job_entry& entry,
                 job_inputs inputs) {
  if (entry.actor)
    self->send(entry.actor, std::move(inputs));
  else if (entry.stand_in)
    self->send(entry.stand_in, std::move(inputs));
}

void start(self_pointer self, calculation_request& req, bool may_hand_over = true);
void end_job(self_pointer self, const job_outcome& outcome);
void fail_job(self_pointer self, std::uint64_t job, std::string why);
void taken(self_pointer self, std::uint64_t job, offload_answer& answer);

/// In a cluster, with `offload_above` calculations or more running here: hands the request to
/// the least-loaded member and returns true; false when it runs here.
bool hand_over(self_pointer self, calculation_request& req, const std::string& calculation_id,
               const job_inputs& inputs, calculation_service_state::job_entry& entry) {
  auto& st = self->state;
  auto running = running_here(st);
  if (st.config.offload_above == 0 || running < st.config.offload_above)
    return false;
  std::map<std::string, std::size_t> handed;
  for (const auto& [job, e] : st.jobs)
    if (!e.worker.empty())
      ++handed[e.worker];
  const auto* worker = least_loaded(st.members, running, handed);
  if (!worker)
    return false;
  auto job = st.next_job++;
  req.request.calculation_id = calculation_id; // the same id if it runs here after all
  offloaded_calculation taken_over{job, calculation_id, req.request, inputs,
                                   caf::actor_cast<caf::strong_actor_ptr>(self)};
  auto service = caf::actor_cast<calculation_service_actor>(worker->calculations);
  entry.worker = worker->name;
  entry.handing_over = std::make_shared<calculation_request>(std::move(req));
  track(self, job, std::move(entry));
  ++st.offloaded;
  self->request(service, st.config.offload_timeout, std::move(taken_over))
      .then([self, job](offload_answer& answer) { taken(self, job, answer); },
            [self, job](caf::error& e) {
              auto it = self->state.jobs.find(job);
              if (it != self->state.jobs.end() && !it->second.stand_in)
                fail_job(self, job,
                         "node " + it->second.worker +
                             " did not take the calculation: " + self->system().render(e));
            });
  update_figures(st);
  return true;
}

/// The member a job was handed to answered: it runs there (its stand-in gets what was held
/// back for it), or, refused there, the request starts over here.
void taken(self_pointer self, std::uint64_t job, offload_answer& answer) {
  auto& st = self->state;
  auto stand_in = caf::actor_cast<calculation_stand_in_actor>(answer.stand_in);
  auto it = st.jobs.find(job);
  if (it == st.jobs.end()) { // ended here meanwhile
    if (stand_in)
      self->send(stand_in, offloaded_cancel{});
    return;
  }
  auto& entry = it->second;
  if (!stand_in) {
    auto request = std::move(entry.handing_over);
    untrack(self, it);
    return start(self, *request, false);
  }
  entry.stand_in = stand_in;
  entry.handing_over.reset();
  if (entry.cancel)
    self->send(stand_in, offloaded_cancel{*entry.cancel});
  else if (entry.live)
    if (auto resolved = resolve_inputs(*entry.live, st.series, st.analytics);
        auto* inputs = std::get_if<job_inputs>(&resolved))
      tell_inputs(self, entry, std::move(*inputs));
}

void start(self_pointer self, calculation_request& req, bool may_hand_over) {
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
  calculation_service_state::job_entry entry;
  entry.requester = requester;
  entry.calculation_id = calculation_id;
  entry.type = req.request.type;
  entry.requester_sink = req.sink;
  entry.publisher = st.calculations;
  if (cacheable) {
    entry.cache_key = result_cache::key_of(protocol::cache_key(req.request, inputs.inputs));
    auto hit = st.cache->find(*entry.cache_key, self->clock().now());
    if (st.metrics)
      hit ? st.metrics->cache_hit() : st.metrics->cache_miss();
    if (hit)
      return serve_cached(self, req, std::move(calculation_id), std::move(*hit));
  }
  if (req.request.live &&
      protocol::depends_on_market(req.request) != protocol::market_dependence::none)
    entry.live = std::make_shared<const protocol::calculate_request>(req.request);
  if (may_hand_over && hand_over(self, req, calculation_id, inputs, entry))
    return;
  auto decision = admit(req.request, inputs.inputs.history.size(), running_here(st),
                        {st.config.max_calculations, st.config.inline_work}, st.memory);
  if (!decision.admitted) {
    ++st.refused;
    return reject(req, "calculate", calculation_id, error_code::too_many_calculations,
                  std::move(decision.refusal));
  }
  run_job(self, std::move(entry), std::move(req.request), std::move(inputs), *decision.admitted);
}

/// On a worker: runs a calculation another member handed over, under this node's caps, with
/// a stand-in for its requester (see calculation_offload.hpp).
offload_answer take_over(self_pointer self, offloaded_calculation& c) {
  auto& st = self->state;
  auto origin = caf::actor_cast<calculation_service_actor>(c.origin);
  if (!origin)
    return {nullptr, "the request names no origin"};
  auto decision = admit(c.request, c.inputs.inputs.history.size(), running_here(st),
                        {st.config.max_calculations, st.config.inline_work}, st.memory);
  if (!decision.admitted) {
    ++st.refused;
    return {nullptr, std::move(decision.refusal)};
  }
  auto stand_in = self->spawn(calculation_stand_in, origin, c.job);
  calculation_service_state::job_entry entry;
  entry.publisher = stand_in;
  entry.requester = stand_in.address();
  entry.calculation_id = std::move(c.calculation_id);
  entry.type = c.request.type;
  auto job = run_job(self, std::move(entry), std::move(c.request), std::move(c.inputs),
                     *decision.admitted);
  self->send(stand_in, caf::join_atom::value, job);
  return {caf::actor_cast<caf::strong_actor_ptr>(stand_in), {}};
}

/// On the origin: a worker's updates of a job handed to it, published as if it ran here. The
/// update that ends the job ends it here first (see job_outcome).
void publish_taken(self_pointer self, offloaded_updates& u) {
  auto& st = self->state;
  auto it = st.jobs.find(u.job);
  if (it == st.jobs.end())
    return; // ended here already: its member was lost
  const auto& entry = it->second;
  calculation_publication p{std::move(u.updates), entry.requester, entry.requester_sink};
  auto last = std::find_if(p.updates.begin(), p.updates.end(), ends_job);
  if (last == p.updates.end())
    return self->send(st.calculations, std::move(p));
  p.updates.erase(std::next(last), p.updates.end()); // nothing follows a job's end
  std::optional<live_calculation_event> ended;
  if (entry.live)
    ended = live_calculation_event{
        live_calculation_event::kind::ended, u.job, entry.calculation_id, entry.type, {}};
  job_outcome outcome{u.job, last->status, last->duration_ms.value_or(0.0), {}};
  if (last->status == calculation_status::completed)
    outcome.result_json = last->result_json;
  auto session = caf::actor_cast<session_actor>(entry.requester);
  end_job(self, outcome);
  self->send(st.calculations, std::move(p));
  if (ended && session)
    self->send(session, std::move(*ended));
}

/// The membership changed or a member reported its load: the members that can take jobs,
/// and the jobs of members lost end `failed`.
void follow_members(self_pointer self, cluster_view& view) {
  auto& st = self->state;
  st.members.clear();
  std::set<std::string> up;
  for (auto& m : view.members)
    if (m.up && !m.local) {
      up.insert(m.name);
      if (m.calculations)
        st.members.push_back(std::move(m));
    }
  std::vector<std::pair<std::uint64_t, std::string>> lost;
  for (const auto& [job, entry] : st.jobs)
    if (!entry.worker.empty() && up.count(entry.worker) == 0)
      lost.emplace_back(job, entry.worker);
  for (auto& [job, worker] : lost)
    fail_job(self, job, "the calculation's node " + worker + " was lost");
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
      tell_inputs(self, entry, std::move(*inputs));
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
      if (st.config.persistence.store)
        st.unsaved.add(self, to_stored(*entry.cache_key, *outcome.result_json));
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

/// Ends a job that cannot end itself (it died past its guards, or its member was lost) with
/// `failed` (internal) and `why`.
void fail_job(self_pointer self, std::uint64_t job, std::string why) {
  auto it = self->state.jobs.find(job);
  if (it == self->state.jobs.end())
    return;
  const auto& entry = it->second;
  protocol::calculation_update u;
  u.calculation_id = entry.calculation_id;
  u.type = entry.type;
  u.status = calculation_status::failed;
  u.time = protocol::now();
  u.error = error_code::internal;
  u.error_message = std::move(why);
  calculation_publication p{{std::move(u)}, entry.requester, entry.requester_sink};
  auto publisher = entry.publisher;
  end_job(self, {job, calculation_status::failed, 0.0, {}});
  self->send(publisher, std::move(p));
}

/// A requester left: its calculations are cancelled (each reports `cancelled`).
void on_down(self_pointer self, const caf::down_msg& msg) {
  auto& st = self->state;
  st.jobs_per_session.erase(msg.source);
  for (auto& [job, entry] : st.jobs)
    if (entry.requester == msg.source)
      tell_cancel(self, entry, {});
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
  tell_cancel(self, entry, std::move(c.id));
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
  s.running = running_here(st);
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
  // Told to exit (shutdown): every job ends with the service, wherever its chunks are (the
  // stand-ins of jobs handed to other members see the service go, and cancel them).
  self->set_exit_handler([self](caf::exit_msg& msg) {
    for (auto& [job, entry] : self->state.jobs)
      if (entry.actor)
        self->send_exit(entry.actor, msg.reason);
    self->state.unsaved.send(self->state.config.persistence.store);
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
          fail_job(self, outcome.job, "the calculation stopped unexpectedly");
        else
          end_job(self, outcome);
      },
      [self](caf::tick_atom) { sweep_cache(self); },
      [self](caf::flush_atom) { self->state.unsaved.send(self->state.config.persistence.store); },
      [self](caf::get_atom) { return stats_of(self->state); },
      [self](cluster_view& view) { follow_members(self, view); },
      [self](offloaded_calculation& c) { return take_over(self, c); },
      [self](offloaded_updates& u) { publish_taken(self, u); },
      [self](live_calculation_event& event) {
        // A worker's event of a job handed to it: for the requester (its `ended` comes from
        // publish_taken, once the job has ended here).
        auto it = self->state.jobs.find(event.job);
        if (it == self->state.jobs.end() || it->second.worker.empty())
          return;
        if (auto session = caf::actor_cast<session_actor>(it->second.requester))
          self->send(session, std::move(event));
      },
  };
}

} // namespace rtd
