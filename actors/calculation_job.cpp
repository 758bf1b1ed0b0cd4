#include "actors/calculation_job.hpp"

#include "protocol/calculation_rules.hpp"

#include <caf/all.hpp>

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

/// An update that does not end the job goes straight to the channel.
void publish(self_pointer self, protocol::calculation_update update) {
  const auto& cfg = self->state.config;
  self->send(cfg.calculations,
             calculation_publication{std::move(update), cfg.requester, cfg.requester_sink});
}

/// The final update goes through the service, which frees the id first; then the job ends.
void finish(self_pointer self, protocol::calculation_update update) {
  self->send(self->state.config.service, job_outcome{self->state.config.job, std::move(update)});
  self->quit();
}

void start_run(self_pointer self) {
  auto& st = self->state;
  st.started = st.last_report = clock_type::now();
  st.last_progress = 0;
  st.task.emplace(st.config.request, st.config.rate);
  self->send(self, caf::tick_atom::value);
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

void complete(self_pointer self) {
  auto& st = self->state;
  const auto& task = *st.task;
  if (task.error()) {
    auto u = make_update(st, calculation_status::failed);
    u.error = protocol::error_code::invalid_parameters;
    u.error_message = *task.error();
    finish(self, std::move(u));
    return;
  }
  auto u = make_update(st, calculation_status::completed);
  u.result_json = *task.result_json();
  u.duration_ms = elapsed_ms(st);
  if (st.config.request.live) {
    u.live = true;
    if (st.config.market_seq != 0)
      u.market_seq = st.config.market_seq;
    publish(self, std::move(u)); // a live job ends only with cancelled
    return;
  }
  finish(self, std::move(u));
}

void run_chunk(self_pointer self) {
  auto& st = self->state;
  if (!st.task)
    return; // a tick left over from a run that already ended
  try {
    st.task->step(st.config.chunk_iterations);
  } catch (const std::exception& e) {
    auto u = make_update(st, calculation_status::failed);
    u.error = protocol::error_code::internal;
    u.error_message = std::string{"calculation failed: "} + e.what();
    finish(self, std::move(u));
    return;
  }
  if (st.task->done()) {
    complete(self);
    st.task.reset();
    return;
  }
  report_progress(self);
  // Through the clock rather than straight to the mailbox: with an empty mailbox the actor
  // gives its scheduler thread back, so other actors run between chunks.
  self->delayed_send(self, std::chrono::milliseconds(0), caf::tick_atom::value);
}

} // namespace

calculation_job_actor::behavior_type calculation_job(self_pointer self,
                                                     calculation_job_config config) {
  self->state.config = std::move(config);
  publish(self, make_update(self->state, calculation_status::started));
  start_run(self);
  return {
      [self](caf::tick_atom) { run_chunk(self); },
      [self](cancel_atom, protocol::correlation_id& id) {
        auto u = make_update(self->state, calculation_status::cancelled);
        u.id = std::move(id);
        finish(self, std::move(u));
      },
      [self](market_step& market) {
        auto& st = self->state;
        auto rate = market.values[protocol::market_indicator::discount_rate];
        if (!st.config.request.live || !protocol::depends_on_market(st.config.request) ||
            rate == st.config.rate)
          return;
        st.config.rate = rate;
        st.config.market_seq = market.seq;
        start_run(self);
      },
  };
}

} // namespace rtd
