#include "actors/frame_sink.hpp"

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
    delivery_lane::watch_sink(*self, low_water, std::move(f));
  });
}

void delivery_lane::publish(outbound item, std::uint64_t number,
                            std::shared_ptr<const audience> to) {
  auto& newest = newest_[static_cast<std::size_t>(item.channel) % newest_.size()];
  newest.store(number, std::memory_order_release);
  execute([this, item = std::move(item), number, to = std::move(to),
           published = clock::now()]() mutable {
    deliver_slice(std::move(item), number, std::move(to), 0, published);
  });
}

void delivery_lane::deliver_slice(outbound item, std::uint64_t number,
                                  std::shared_ptr<const audience> to, std::size_t from,
                                  clock::time_point published) {
  const auto& newest = newest_[static_cast<std::size_t>(item.channel) % newest_.size()];
  // Stale for the conflating part only when a newer publication is queued behind this one.
  const bool stale = newest.load(std::memory_order_acquire) != number;
  const auto strict = to->strict.size();
  const auto total = strict + (stale && from <= strict ? 0 : to->conflating.size());
  const auto end = std::min(total, from + slice);
  outbound every = item;
  every.conflatable = false;
  for (auto i = from; i < end; ++i) {
    if (i < strict)
      hand(*to->strict[i], &every, 1);
    else
      hand(*to->conflating[i - strict], &item, 1);
  }
  if (metrics_ && end > from) {
    metrics_->delivered(end - from);
    metrics_->observe_publish_latency(clock::now() - published, end - from);
  }
  if (end < total)
    execute([this, item = std::move(item), number, to = std::move(to), end, published]() mutable {
      deliver_slice(std::move(item), number, std::move(to), end, published);
    });
}

} // namespace rtd
