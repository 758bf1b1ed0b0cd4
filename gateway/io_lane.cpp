#include "gateway/io_lane.hpp"

#include "gateway/ws_connection.hpp"

#include <thread>

namespace rtd {

io_lane::io_lane(unsigned send_batch) : writes_(send_batch), poller_(io_, writes_) {}

void io_lane::execute(std::function<void()> job) {
  // Sequentially consistent with close(): either close() waits for this call, or this call
  // sees the lane closed.
  posting_.fetch_add(1);
  if (!closed_.load()) {
    bool first = false;
    {
      std::lock_guard<std::mutex> lock{jobs_mutex_};
      first = jobs_.empty();
      jobs_.push_back(std::move(job));
    }
    if (first) // else the run already posted takes this job too
      net::post(io_, [this] { run_jobs(); });
  }
  posting_.fetch_sub(1);
}

void io_lane::run_jobs() {
  {
    std::lock_guard<std::mutex> lock{jobs_mutex_};
    running_.swap(jobs_);
  }
  {
    send_batch::scope writes{writes_}; // what the jobs write goes out in one submission
    for (auto& job : running_)
      job();
  }
  running_.clear();
  if (running_.capacity() > kept_job_capacity)
    running_ = {};
}

void io_lane::close() {
  closed_.store(true);
  while (posting_.load() != 0)
    std::this_thread::yield();
  io_.restart();
  io_.poll();
}

void io_lane::add(ws_connection& c) {
  c.lane_slot_ = connections_.size();
  connections_.push_back(&c);
}

void io_lane::remove(ws_connection& c) {
  auto slot = c.lane_slot_;
  if (slot >= connections_.size() || connections_[slot] != &c)
    return;
  connections_[slot] = connections_.back();
  connections_[slot]->lane_slot_ = slot;
  connections_.pop_back();
}

void io_lane::start_timers(clock::duration period) {
  period_ = period;
  timer_.emplace(io_);
  check_timers();
}

void io_lane::stop_timers() {
  net::post(io_, [this] {
    if (timer_)
      timer_->cancel();
    period_ = {};
  });
}

void io_lane::check_timers() {
  now_ = clock::now();
  for_each([this](ws_connection& c) { c.check_timers(now_); });
  if (period_ == clock::duration{})
    return;
  timer_->expires_after(period_);
  timer_->async_wait([this](beast::error_code ec) {
    if (!ec && period_ != clock::duration{})
      check_timers();
  });
}

} // namespace rtd
