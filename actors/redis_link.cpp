#include "actors/redis_link.hpp"

#include "log/log.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <sstream>

#include <pthread.h>

namespace rtd {

namespace {

std::size_t index_of(redis_role role) {
  return static_cast<std::size_t>(role);
}

std::string role_name(redis_role role) {
  return role == redis_role::publish ? "publish" : "subscribe";
}

/// Each connection's entry on the health board.
std::string component(redis_role role) {
  return "redis-" + role_name(role);
}

std::string rate_text(double rate) {
  std::ostringstream text;
  text << rate;
  return text.str();
}

} // namespace

redis_link::redis_link(redis_bridge_config config, std::shared_ptr<redis_counters> counters,
                       std::shared_ptr<health_board> health, ingest_handler ingest)
    : config_(std::move(config)), counters_(std::move(counters)), health_(std::move(health)),
      ingest_(std::move(ingest)), work_(boost::asio::make_work_guard(io_)),
      lane_(std::make_shared<redis_lane>(io_)), bucket_(config_.ingest_rate, config_.ingest_burst),
      active_(config_.active) {
  publisher_.emplace(io_, connection_config(redis_role::publish),
                     redis::connection_events{
                         [this] { changed(redis_role::publish, nullptr); },
                         [this](const std::string& why) { changed(redis_role::publish, &why); },
                         [this](const redisReply* reply) { sink_->on_reply(reply); },
                         {},
                         {},
                     });
  sink_ = std::make_shared<redis_sink>(lane_, *publisher_, config_.limits, counters_);
  sink_->set_active(active_);
  for (auto c : config_.ingest)
    ingest_keys_.emplace_back("rtd:publish:" + std::string{protocol::to_string(c)}, c);
  if (!ingest_keys_.empty())
    subscriber_.emplace(
        io_, connection_config(redis_role::subscribe),
        redis::connection_events{
            [this] {
              confirmed_ = 0;
              std::vector<std::string> keys;
              for (const auto& k : ingest_keys_)
                keys.push_back(k.first);
              subscriber_->subscribe(keys);
            },
            [this](const std::string& why) { changed(redis_role::subscribe, &why); },
            {}, // it sends nothing but SUBSCRIBE
            [this](std::string_view) {
              // Ingesting once every channel is confirmed: only then is it up.
              if (++confirmed_ == ingest_keys_.size())
                changed(redis_role::subscribe, nullptr);
            },
            [this](std::string_view channel, std::string_view payload) {
              on_message(channel, payload);
            },
        });
  for (auto role : {redis_role::publish, redis_role::subscribe})
    if (role == redis_role::publish || subscriber_)
      health_->set(component(role), "redis " + role_name(role) + " connection to " +
                                        config_.endpoint.url() + " not connected yet");
}

redis_link::~redis_link() {
  lane_->detach();
  io_.stop();
  if (thread_.joinable())
    thread_.join();
}

redis::connection_config redis_link::connection_config(redis_role role) const {
  return {config_.endpoint,    config_.password, config_.initial_backoff,
          config_.max_backoff, config_.timeout,  role_name(role)};
}

void redis_link::start() {
  thread_ = std::thread([this] { io_.run(); });
  pthread_setname_np(thread_.native_handle(), "rtd-redis");
  boost::asio::post(io_, [this] {
    publisher_->start();
    if (subscriber_)
      subscriber_->start();
  });
}

void redis_link::set_active(bool active) {
  boost::asio::post(io_, [this, active] {
    active_ = active;
    sink_->set_active(active);
  });
}

void redis_link::changed(redis_role role, const std::string* down_reason) {
  const auto i = index_of(role);
  const bool up = down_reason == nullptr;
  const bool news = !reported_[i] || reported_up_[i] != up;
  reported_[i] = true;
  reported_up_[i] = up;
  counters_->connected[i].store(up, std::memory_order_relaxed);
  const auto what = "redis " + role_name(role) + " connection to " + config_.endpoint.url();
  const std::vector<log::field> fields{{"connection", role_name(role)}};
  if (up) {
    health_->clear(component(role));
    log::write(spdlog::level::info, "redis_up",
               what + (role == redis_role::publish ? " ready" : " ready, ingest subscribed"),
               fields);
    return;
  }
  auto reason = what + " down: " + *down_reason;
  health_->set(component(role), reason);
  // A change is a warning; each failed retry while down is detail.
  log::write(news ? spdlog::level::warn : spdlog::level::debug, "redis_down",
             reason + "; retrying (backoff up to " + std::to_string(config_.max_backoff.count()) +
                 " ms)",
             fields);
}

void redis_link::on_message(std::string_view redis_channel, std::string_view payload) {
  if (!active_)
    return; // another node's bridge consumes it
  auto key = std::find_if(ingest_keys_.begin(), ingest_keys_.end(),
                          [&](const auto& k) { return k.first == redis_channel; });
  if (key == ingest_keys_.end())
    return;
  if (payload.size() > config_.ingest_max_bytes) {
    redis_counters::add(counters_->invalid);
    return ingest_warnings_.log(spdlog::level::warn, "redis_ingest_invalid",
                                "redis ingest dropped a message of " +
                                    std::to_string(payload.size()) + " bytes on " + key->first +
                                    ": the limit is " + std::to_string(config_.ingest_max_bytes) +
                                    " (--redis-ingest-max-bytes)",
                                {{"channel", key->first}});
  }
  if (!bucket_.take(redis::token_bucket::clock::now())) {
    redis_counters::add(counters_->rate_limited);
    return ingest_warnings_.log(spdlog::level::warn, "redis_ingest_rate_limited",
                                "redis ingest dropped messages on " + key->first + ": over " +
                                    rate_text(config_.ingest_rate) +
                                    " per second (--redis-ingest-rate)",
                                {{"channel", key->first}});
  }
  if (counters_->ingest_pending.load(std::memory_order_relaxed) >= config_.ingest_max_pending) {
    redis_counters::add(counters_->rate_limited);
    return ingest_warnings_.log(spdlog::level::warn, "redis_ingest_rate_limited",
                                "redis ingest dropped messages on " + key->first + ": " +
                                    std::to_string(config_.ingest_max_pending) +
                                    " are still being published (--redis-ingest-pending)",
                                {{"channel", key->first}});
  }
  redis_counters::add(counters_->ingest_pending);
  ingest_(key->second, std::string{payload});
}

} // namespace rtd
