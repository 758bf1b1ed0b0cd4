#include "bench/worker.hpp"

#include "bench/modes.hpp"
#include "bench/proc_stats.hpp"

namespace rtd::bench {

worker::worker(const options& opts, std::size_t first, std::size_t count, event_loop& loop)
    : opts_(opts), conns_(count), loop_(loop), first_(first) {}

void worker::start() {
  connect_more();
}

void worker::connect_more() {
  while (next_ < conns_.size() && in_flight_ < opts_.connect_concurrency) {
    std::size_t index = first_ + next_++;
    std::string source =
        "127.0.0." + std::to_string(1 + index % static_cast<std::size_t>(opts_.source_addrs));
    ++in_flight_;
    conns_[index - first_].client = &loop_.connect(index, source, *this);
  }
}

void worker::mark_ready(conn& c) {
  if (c.settled)
    return;
  c.ready = c.settled = true;
  ++result_.sums["ready"];
  settled_.fetch_add(1);
}

void worker::mark_failed(conn& c) {
  if (c.settled)
    return;
  c.settled = true;
  settled_.fetch_add(1);
}

void worker::note_error(const std::string& what) {
  if (result_.first_error.empty())
    result_.first_error = what;
}

void worker::on_open(ws_client& client) {
  auto& c = state(client);
  c.open = true;
  ++result_.sums["connected"];
  --in_flight_;
  connect_more();
  opened(c);
}

void worker::on_message(ws_client& client, char* data, std::size_t size) {
  auto now = wall_us();
  auto& c = state(client);
  ++frames_;
  message m;
  if (!parse_message(data, size, m)) {
    ++bad_frames_;
    note_error("unparsable frame: " + std::string(data, std::min<std::size_t>(size, 200)));
    return;
  }
  if (m.type == frame_type::error) {
    ++errors_;
    note_error("error frame: " + m.error_text);
  }
  received(c, m, now);
}

void worker::on_close(ws_client& client, bool was_open, const std::string& reason) {
  auto& c = state(client);
  c.closed = true;
  if (!was_open) {
    --in_flight_;
    ++result_.sums["connect_failures"];
    note_error("connection " + std::to_string(client.index()) + ": " + reason);
    connect_more();
  } else if (!ended_) {
    ++result_.sums["disconnects"];
    note_error("connection " + std::to_string(client.index()) + " closed: " + reason);
  }
  mark_failed(c);
}

void worker::begin(std::int64_t t0, std::int64_t t1) {
  began_ = true;
  t0_ = t0;
  t1_ = t1;
  warmup_started();
  loop_.at(t1, [this] { end(); });
}

void worker::end() {
  ended_ = true;
  result_.sums["connections"] += conns_.size();
  result_.sums["frames"] += frames_;
  result_.sums["bad_frames"] += bad_frames_;
  result_.sums["errors"] += errors_;
  finished();
  loop_.stop();
}

std::unique_ptr<worker> make_worker(const options& opts, std::size_t first, std::size_t count,
                                    event_loop& loop) {
  switch (opts.mode) {
  case mode::fanout:
  case mode::conns:
  case mode::ingest:
    return make_fanout_worker(opts, first, count, loop);
  case mode::ping:
    return make_ping_worker(opts, first, count, loop);
  case mode::calc:
    return make_calc_worker(opts, first, count, loop);
  }
  return nullptr;
}

} // namespace rtd::bench
