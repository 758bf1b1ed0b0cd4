#include "redis/connection.hpp"

#include "redis/asio_adapter.hpp"

#include <hiredis/async.h>

#include <algorithm>
#include <array>
#include <random>

namespace rtd::redis {

namespace {

namespace asio = boost::asio;

connection* owner(const redisAsyncContext* ac) {
  return static_cast<connection*>(ac->data);
}

std::string_view text(const redisReply* r) {
  return {r->str, r->len};
}

bool is_string(const redisReply* r) {
  return r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS;
}

std::string milliseconds(std::chrono::milliseconds d) {
  return std::to_string(d.count()) + " ms";
}

/// Spreads the retries of many nodes (and of the two connections) over time.
std::chrono::milliseconds jittered(std::chrono::milliseconds d) {
  thread_local std::minstd_rand random{std::random_device{}()};
  std::uniform_real_distribution<double> factor{0.8, 1.2};
  return std::chrono::milliseconds{static_cast<std::int64_t>(d.count() * factor(random))};
}

/// Sends `args` as one command with `fn` and `privdata`; hiredis copies them.
int command(redisAsyncContext* ac, redisCallbackFn* fn, void* privdata,
            const std::vector<std::string_view>& args) {
  constexpr std::size_t max_args = 64;
  if (args.empty() || args.size() > max_args)
    return REDIS_ERR;
  std::array<const char*, max_args> argv;
  std::array<std::size_t, max_args> lengths;
  for (std::size_t i = 0; i < args.size(); ++i) {
    argv[i] = args[i].data();
    lengths[i] = args[i].size();
  }
  return redisAsyncCommandArgv(ac, fn, privdata, static_cast<int>(args.size()), argv.data(),
                               lengths.data());
}

} // namespace

connection::connection(asio::io_context& io, connection_config config, connection_events events)
    : io_(io), config_(std::move(config)), events_(std::move(events)), resolver_(io),
      retry_timer_(io), watchdog_(io), backoff_(config_.initial_backoff) {}

connection::~connection() {
  closing_ = true;
  resolver_.cancel();
  retry_timer_.cancel();
  watchdog_.cancel();
  if (auto* ac = std::exchange(context_, nullptr))
    redisAsyncFree(ac);
}

void connection::start() {
  if (state_ != state::idle)
    return;
  arm_watchdog();
  resolve();
}

void connection::resolve() {
  state_ = state::resolving;
  deadline_ = clock::now() + config_.timeout;
  resolver_.async_resolve(
      config_.where.host, std::to_string(config_.where.port),
      asio::ip::tcp::resolver::numeric_service,
      [this](const boost::system::error_code& ec, asio::ip::tcp::resolver::results_type found) {
        if (ec == asio::error::operation_aborted || closing_ || state_ != state::resolving)
          return;
        if (ec || found.empty())
          return failed("cannot resolve " + config_.where.host + ": " + ec.message());
        // Like hiredis itself: IPv4 first.
        auto pick = std::find_if(found.begin(), found.end(),
                                 [](const auto& e) { return e.endpoint().address().is_v4(); });
        if (pick == found.end())
          pick = found.begin();
        connect(pick->endpoint().address().to_string());
      });
}

void connection::connect(const std::string& address) {
  state_ = state::connecting;
  // A numeric address: hiredis's getaddrinfo returns at once.
  auto* ac = redisAsyncConnect(address.c_str(), config_.where.port);
  if (!ac)
    return failed("out of memory");
  if (ac->err) {
    std::string why = ac->c.errstr;
    redisAsyncFree(ac);
    return failed(why);
  }
  ac->data = this;
  try {
    attach(ac, io_);
  } catch (const boost::system::system_error& e) {
    redisAsyncFree(ac);
    return failed(std::string{"cannot watch the socket: "} + e.what());
  }
  context_ = ac;
  redisAsyncSetConnectCallback(ac, on_connect);
  redisAsyncSetDisconnectCallback(ac, on_disconnect);
}

void connection::on_connect(const redisAsyncContext* ac, int status) {
  auto* self = owner(ac);
  if (self->closing_ || self->context_ != ac)
    return;
  if (status != REDIS_OK) {
    self->context_ = nullptr; // hiredis frees it when this returns
    return self->failed(ac->c.errstr);
  }
  // A peer that vanished (power, network) is found out even while nothing is sent.
  redisEnableKeepAlive(&self->context_->c);
  self->handshake();
}

void connection::handshake() {
  state_ = state::handshaking;
  deadline_ = clock::now() + config_.timeout;
  handshake_left_ = 0;
  auto step = [this](const char* name, const std::vector<std::string_view>& args) {
    // The step's name is the callback's privdata: a string literal, never freed.
    if (command(context_, on_handshake, const_cast<char*>(name), args) == REDIS_OK)
      ++handshake_left_;
  };
  if (!config_.password.empty())
    step("AUTH", {"AUTH", config_.password});
  auto db = std::to_string(config_.where.db);
  if (config_.where.db != 0)
    step("SELECT", {"SELECT", db});
  step("PING", {"PING"});
}

void connection::on_handshake(redisAsyncContext* ac, void* reply, void* step) {
  auto* self = owner(ac);
  // No reply: the context is being freed, and whoever freed it reports why.
  if (self->closing_ || self->context_ != ac || !reply)
    return;
  auto* r = static_cast<redisReply*>(reply);
  if (r->type == REDIS_REPLY_ERROR)
    return self->lose(std::string{static_cast<const char*>(step)} +
                      " refused: " + std::string{text(r)});
  if (--self->handshake_left_ > 0)
    return;
  self->state_ = state::ready;
  self->backoff_ = self->config_.initial_backoff;
  self->last_progress_ = clock::now();
  self->events_.up();
}

void connection::on_disconnect(const redisAsyncContext* ac, int status) {
  auto* self = owner(ac);
  if (self->closing_ || self->context_ != ac)
    return;                 // lose() dropped it
  self->context_ = nullptr; // hiredis frees it when this returns
  self->failed(status == REDIS_OK || ac->c.err == 0 ? "closed by the server" : ac->c.errstr);
}

void connection::on_reply(redisAsyncContext* ac, void* reply, void*) {
  auto* self = owner(ac);
  if (self->closing_)
    return;
  --self->pending_;
  self->last_progress_ = clock::now();
  self->events_.reply(static_cast<const redisReply*>(reply));
}

void connection::on_subscription(redisAsyncContext* ac, void* reply, void*) {
  auto* self = owner(ac);
  auto* r = static_cast<redisReply*>(reply);
  if (self->closing_ || self->context_ != ac || !r || r->type != REDIS_REPLY_ARRAY ||
      r->elements < 3 || !is_string(r->element[0]) || !is_string(r->element[1]))
    return;
  auto kind = text(r->element[0]);
  auto channel = text(r->element[1]);
  if (kind == "message" && is_string(r->element[2]))
    self->events_.message(channel, text(r->element[2]));
  else if (kind == "subscribe")
    self->events_.subscribed(channel);
}

bool connection::send(const std::vector<std::string_view>& args) {
  if (state_ != state::ready || command(context_, on_reply, nullptr, args) != REDIS_OK)
    return false;
  if (pending_++ == 0)
    last_progress_ = clock::now();
  return true;
}

bool connection::subscribe(const std::vector<std::string>& channels) {
  if (state_ != state::ready || channels.empty())
    return false;
  std::vector<std::string_view> args{"SUBSCRIBE"};
  args.insert(args.end(), channels.begin(), channels.end());
  return command(context_, on_subscription, nullptr, args) == REDIS_OK;
}

void connection::lose(std::string why) {
  // Inside one of the context's callbacks hiredis frees it once the callback returns; the
  // replies still awaited come back null, before anything else runs on this thread.
  if (auto* ac = std::exchange(context_, nullptr))
    redisAsyncFree(ac);
  failed(std::move(why));
}

void connection::failed(std::string why) {
  state_ = state::waiting;
  handshake_left_ = 0;
  auto delay = jittered(backoff_);
  backoff_ = std::min(backoff_ * 2, config_.max_backoff);
  events_.down(why);
  retry_timer_.expires_after(delay);
  retry_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !closing_)
      resolve();
  });
}

void connection::arm_watchdog() {
  auto period = std::max(config_.timeout / 4, std::chrono::milliseconds{10});
  watchdog_.expires_after(period);
  watchdog_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || closing_)
      return;
    check_deadlines();
    arm_watchdog();
  });
}

void connection::check_deadlines() {
  auto now = clock::now();
  switch (state_) {
  case state::resolving:
    if (now > deadline_) {
      resolver_.cancel();
      lose("cannot resolve " + config_.where.host + " within " + milliseconds(config_.timeout));
    }
    break;
  case state::connecting:
  case state::handshaking:
    if (now > deadline_)
      lose("no answer within " + milliseconds(config_.timeout));
    break;
  case state::ready:
    if (pending_ > 0 && now - last_progress_ > config_.timeout)
      lose("no reply within " + milliseconds(config_.timeout));
    break;
  case state::idle:
  case state::waiting:
    break;
  }
}

} // namespace rtd::redis
