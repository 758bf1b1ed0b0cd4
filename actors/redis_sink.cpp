#include "actors/redis_sink.hpp"

#include "log/log.hpp"
#include "protocol/codec.hpp"

#include <boost/asio/post.hpp>
#include <hiredis/hiredis.h>

namespace rtd {

void redis_lane::execute(std::function<void()> job) {
  std::lock_guard<std::mutex> lock{mutex_};
  if (io_)
    boost::asio::post(*io_, std::move(job));
}

void redis_lane::detach() {
  std::lock_guard<std::mutex> lock{mutex_};
  io_ = nullptr;
}

redis_sink::redis_sink(std::shared_ptr<redis_lane> lane, redis::connection& publisher,
                       redis_egress_config config, std::shared_ptr<redis_counters> counters)
    : frame_sink(*lane), lane_(std::move(lane)), publisher_(publisher), config_(config),
      counters_(std::move(counters)), maxlen_(std::to_string(config.stream_maxlen)) {
  for (auto c : protocol::all_channels) {
    auto name = std::string{protocol::to_string(c)};
    pubsub_keys_[static_cast<std::size_t>(c)] = "rtd:" + name;
    stream_keys_[static_cast<std::size_t>(c)] = "rtd:stream:" + name;
  }
}

void redis_sink::accept(const outbound* items, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    const auto& item = items[i];
    auto json = item.data->payload();
    // A channel's acks name the channel too; they are no publication. The protocol's encoders
    // write "type" first, always, so the frame's first bytes tell them apart.
    auto type = protocol::encoded_type(json);
    if (item.channel < 0 || type == "subscribed" || type == "unsubscribed") {
      note(item, type);
      continue;
    }
    if (active_ && !closed_)
      publish(json, static_cast<std::size_t>(item.channel));
  }
}

void redis_sink::publish(std::string_view json, std::size_t channel) {
  if (!publisher_.ready())
    return redis_counters::add(counters_->disconnected);
  const bool stream = config_.stream_maxlen > 0;
  const std::size_t cost = json.size() * (stream ? 2 : 1);
  if (frames_in_flight_ + 1 > config_.max_frames || bytes_in_flight_ + cost > config_.max_bytes)
    return redis_counters::add(counters_->queue_full);
  const auto bytes = static_cast<std::uint32_t>(json.size());
  if (!publisher_.send({"PUBLISH", pubsub_keys_[channel], json}))
    return redis_counters::add(counters_->disconnected);
  sent_.push_back({bytes, false});
  ++frames_in_flight_;
  bytes_in_flight_ += bytes;
  if (stream &&
      publisher_.send({"XADD", stream_keys_[channel], "MAXLEN", "~", maxlen_, "*", "data", json})) {
    sent_.push_back({bytes, true});
    bytes_in_flight_ += bytes;
  }
}

void redis_sink::on_reply(const redisReply* reply) {
  // Replies come in the order the commands were sent: one per entry of sent_.
  auto done = sent_.front();
  sent_.pop_front();
  bytes_in_flight_ -= done.bytes;
  if (!done.stream)
    --frames_in_flight_;
  if (reply && reply->type != REDIS_REPLY_ERROR) {
    redis_counters::add(done.stream ? counters_->streamed : counters_->published);
  } else {
    redis_counters::add(counters_->failed);
    if (reply)
      failures_.log(spdlog::level::warn, "redis_publish_failed",
                    std::string{"redis refused "} + (done.stream ? "XADD" : "PUBLISH") + ": " +
                        std::string{reply->str, reply->len});
  }
  check_drained();
}

void redis_sink::note(const outbound& item, std::string_view type) {
  auto json = item.data->payload();
  if (type == "subscribed") {
    auto channel = protocol::to_string(static_cast<protocol::channel>(item.channel));
    log::info("redis_egress_subscribed",
              "redis egress follows " + std::string{channel} +
                  ", published to rtd:" + std::string{channel},
              {{"channel", std::string{channel}}});
  } else if (type != "unsubscribed") {
    log::warn("redis_egress_refused",
              "the redis bridge's session answered: " + std::string{json.substr(0, 300)});
  }
}

void redis_sink::close_on_lane(close_code code, std::string reason) {
  closed_ = true;
  log::warn("redis_egress_closed", "redis egress stopped: its session closed it (" +
                                       std::to_string(static_cast<std::uint16_t>(code)) + " " +
                                       reason + ")");
}

void redis_sink::when_drained_on_lane(std::size_t low_water, std::function<void()> f) {
  drain_watch_.emplace(low_water, std::move(f));
  check_drained();
}

void redis_sink::check_drained() {
  if (!drain_watch_ || bytes_in_flight_ > drain_watch_->first)
    return;
  auto f = std::move(drain_watch_->second);
  drain_watch_.reset();
  f();
}

} // namespace rtd
