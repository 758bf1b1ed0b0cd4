#include "actors/frame_sink.hpp"

#include <algorithm>

namespace rtd {

void frame_sink::send(frame f) {
  lane_.execute([self = shared_from_this(), item = outbound{std::move(f)}] {
    delivery_lane::hand(*self, &item, 1);
  });
}

void frame_sink::send(std::vector<outbound> items) {
  lane_.execute([self = shared_from_this(), items = std::move(items)] {
    delivery_lane::hand(*self, items.data(), items.size());
  });
}

void frame_sink::close(close_code code, std::string reason) {
  lane_.execute([self = shared_from_this(), code, reason = std::move(reason)]() mutable {
    delivery_lane::close_sink(*self, code, std::move(reason));
  });
}

void frame_sink::when_drained(std::size_t low_water, std::function<void()> f) {
  lane_.execute([self = shared_from_this(), low_water, f = std::move(f)]() mutable {
    self->wait_for_drain(low_water, std::move(f));
  });
}

void frame_sink::wait_for_drain(std::size_t low_water, std::function<void()> f) {
  if (!drain_waiters_)
    drain_waiters_ = std::make_unique<decltype(drain_waiters_)::element_type>();
  drain_waiters_->emplace_back(low_water, std::move(f));
  auto lowest = low_water;
  for (const auto& w : *drain_waiters_)
    lowest = std::min(lowest, w.first);
  // The connection keeps one callback: this one replaces the previous. It belongs to the
  // connection and runs on its lane, so `this` outlives it.
  delivery_lane::watch_sink(*this, lowest, [this] { drained(); });
}

void frame_sink::drained() {
  // Every mark is at least the lowest, so every waiter is satisfied. Moved out first: a
  // waiter may wait again at once.
  auto waiters = std::move(drain_waiters_);
  if (waiters)
    for (auto& w : *waiters)
      w.second();
}

void delivery_lane::publish(outbound item, std::uint64_t number,
                            std::shared_ptr<const audience> to) {
  const auto channel = slot_of(item.channel);
  newest_[channel].store(number, std::memory_order_release);
  execute([this, item = std::move(item), number, to = std::move(to), channel,
           published = clock::now()]() mutable {
    if (!to->strict.empty()) {
      outbound every = item;
      every.conflatable = false;
      serve_strict(std::move(every), to, 0, published);
    }
    if (newest_[channel].load(std::memory_order_acquire) != number)
      return; // a later one is on its way: it renews the round
    auto& r = rounds_[channel];
    r.item = std::move(item);
    r.to = std::move(to);
    r.left = r.to->conflating.size();
    r.published = published;
    if (!r.queued)
      serve_round(r);
  });
}

void delivery_lane::serve_strict(outbound every, std::shared_ptr<const audience> to,
                                 std::size_t from, clock::time_point published) {
  const auto end = std::min(to->strict.size(), from + slice);
  for (auto i = from; i < end; ++i)
    offer(*to->strict[i], every, *to);
  count(end - from, published);
  if (end < to->strict.size())
    execute([this, every = std::move(every), to = std::move(to), end, published]() mutable {
      serve_strict(std::move(every), std::move(to), end, published);
    });
}

// Goes on from where the round stands, through every subscriber of the newest audience once.
void delivery_lane::serve_round(round& r) {
  const auto& subscribers = r.to->conflating;
  const auto turn = std::min(r.left, slice);
  for (std::size_t i = 0; i < turn; ++i) {
    if (r.next >= subscribers.size())
      r.next = 0;
    offer(*subscribers[r.next++], r.item, *r.to);
  }
  r.left -= turn;
  count(turn, r.published);
  r.queued = r.left > 0;
  if (r.queued)
    execute([this, &r] { serve_round(r); });
  else
    r = round{}; // holds no connection once done: they may close before the next publication
}

void delivery_lane::offer(frame_sink& sink, const outbound& item, const audience& to) {
  if (sink.membership_[slot_of(item.channel)] <= to.generation)
    sink.accept(&item, 1);
}

void delivery_lane::count(std::size_t deliveries, clock::time_point published) {
  if (metrics_ && deliveries > 0) {
    metrics_->delivered(deliveries);
    metrics_->observe_publish_latency(clock::now() - published, deliveries);
  }
}

} // namespace rtd
