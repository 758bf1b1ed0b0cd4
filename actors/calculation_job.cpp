#include "actors/calculation_job.hpp"

#include <caf/all.hpp>

#include <limits>

namespace rtd {

namespace {

using self_pointer = calculation_job_actor::stateful_pointer<calculation_job_state>;
using clock_type = std::chrono::steady_clock;
using protocol::calculation_status;

constexpr auto report_interval = std::chrono::milliseconds(100);
constexpr int report_step = 5; ///< percent

protocol::calculation_update make_update(const calculation_job_state& st,
                                         calculation_status status) {
  protocol::calculation_update u;
  u.calculation_id = st.config.calculation_id;
  u.type = st.config.request.type;
  u.status = status;
  u.time = protocol::now();
  return u;
}

double elapsed_ms(const calculation_job_state& st) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - st.started).count();
}

/// Sends `update`, after any held back, to the publisher (the channel publishes them and gives
/// them to the requester, in one write, when the requester does not subscribe).
void publish(self_pointer self, protocol::calculation_update update) {
  auto& st = self->state;
  const auto& cfg = st.config;
  st.unsent.push_back(std::move(update));
  self->send(cfg.publisher,
             calculation_publication{std::move(st.unsent), cfg.requester, cfg.requester_sink});
  st.unsent.clear();
}

/// Tells the requesting session about its live calculation (for its alerts on the results),
/// after the channel got the update it follows.
void tell_requester(self_pointer self, live_calculation_event::kind what,
                    std::string result_json = {}) {
  const auto& cfg = self->state.config;
  if (!cfg.request.live)
    return;
  if (auto session = caf::actor_cast<session_actor>(cfg.requester))
    self->send(session, live_calculation_event{what, cfg.job, cfg.calculation_id, cfg.request.type,
                                               std::move(result_json)});
}

/// Ends the job: the service learns of it first (it frees the id, caches the result), then
/// the channel gets the final update. The service's mailbox has the outcome before the
/// client can see the update and send anything that depends on it.
void finish(self_pointer self, protocol::calculation_update update) {
  auto& st = self->state;
  job_outcome outcome{st.config.job, update.status, update.duration_ms.value_or(0.0), {}};
  if (update.status == calculation_status::completed && st.config.cache_result)
    outcome.result_json = update.result_json;
  self->send(st.config.service, std::move(outcome));
  publish(self, std::move(update));
  tell_requester(self, live_calculation_event::kind::ended);
  st.task.reset();
  self->quit();
}

void report_progress(self_pointer self) {
  auto& st = self->state;
  auto progress = st.task->progress();
  auto now = clock_type::now();
  if (progress < st.last_progress + report_step && now - st.last_report < report_interval)
    return;
  st.last_progress = progress;
  st.last_report = now;
  auto u = make_update(st, calculation_status::processing);
  u.progress = progress;
  u.message = "Processing " + std::string{protocol::to_string(st.config.request.type)} + "... " +
              std::to_string(progress) + "%";
  publish(self, std::move(u));
}

/// The run's task is done: completed or failed. A live job stays for the next market step.
void complete(self_pointer self) {
  auto& st = self->state;
  const auto& task = *st.task;
  if (const auto& failure = task.failure()) {
    auto u = make_update(st, calculation_status::failed);
    u.error = failure->code;
    u.error_message = failure->message;
    return finish(self, std::move(u));
  }
  auto u = make_update(st, calculation_status::completed);
  u.result_json = *task.result_json();
  u.duration_ms = elapsed_ms(st);
  if (!st.config.request.live)
    return finish(self, std::move(u));
  u.live = true;
  if (st.config.market_seq != 0)
    u.market_seq = st.config.market_seq;
  st.task.reset();
  auto result = u.result_json;
  publish(self, std::move(u)); // a live job ends only with cancelled
  tell_requester(self, live_calculation_event::kind::completed, std::move(result));
}

/// Hands the next chunk to the executor; it tells the job when it is done. The chunk holds
/// the task and the memory reservation, so both outlive a job that ends meanwhile.
void submit_chunk(self_pointer self) {
  auto& st = self->state;
  st.config.executor->submit([task = st.task, memory = st.config.memory,
                              budget = st.config.chunk_work, job = self->address(), run = st.run] {
    task->step(budget);
    if (auto handle = caf::actor_cast<calculation_job_actor>(job))
      caf::anon_send(handle, caf::tick_atom::value, run);
  });
}

void start_run(self_pointer self) {
  auto& st = self->state;
  st.started = st.last_report = clock_type::now();
  st.last_progress = 0;
  ++st.run;
  st.task = std::make_shared<calculation_task>(st.config.request, st.config.inputs,
                                               st.config.sample_memory);
  if (st.config.executor)
    return submit_chunk(self);
  st.task->step(std::numeric_limits<std::uint64_t>::max());
  complete(self);
}

/// A chunk of run `run` ended on the executor.
void chunk_done(self_pointer self, std::uint64_t run) {
  auto& st = self->state;
  if (run != st.run || !st.task)
    return; // a chunk of a run that was replaced or has ended
  if (st.task->done())
    return complete(self);
  report_progress(self);
  submit_chunk(self);
}

} // namespace

calculation_job_actor::behavior_type calculation_job(self_pointer self,
                                                     calculation_job_config config) {
  auto& st = self->state;
  st.config = std::move(config);
  // An end without an outcome (an exception past the task's guard) reaches the service
  // anyway; cheaper than the service monitoring every job, which costs a message each.
  self->attach_functor([service = st.config.service, job = st.config.job](const caf::error& why) {
    if (why && why != caf::exit_reason::user_shutdown)
      caf::anon_send(service,
                     job_outcome{job, calculation_status::failed, 0.0, std::nullopt, true});
  });
  // Before the client can see `started`: an alert it then sets on the job finds it.
  tell_requester(self, live_calculation_event::kind::started);
  auto started = make_update(st, calculation_status::started);
  if (st.config.executor)
    publish(self, std::move(started));
  else
    st.unsent.push_back(std::move(started)); // goes out with the result, in one write
  start_run(self);
  return {
      [self](caf::tick_atom, std::uint64_t run) { chunk_done(self, run); },
      [self](cancel_atom, protocol::correlation_id& id) {
        auto u = make_update(self->state, calculation_status::cancelled);
        u.id = std::move(id);
        finish(self, std::move(u));
      },
      [self](job_inputs& now) {
        auto& st = self->state;
        if (!st.config.request.live || now.inputs == st.config.inputs)
          return;
        st.config.inputs = std::move(now.inputs);
        st.config.market_seq = now.market_seq;
        start_run(self);
      },
  };
}

} // namespace rtd
