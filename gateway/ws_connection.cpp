#include "gateway/ws_connection.hpp"

#include "actors/session.hpp"
#include "gateway/context.hpp"
#include "gateway/io_lane.hpp"
#include "protocol/codec.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

namespace rtd {

namespace {

/// Close codes of the protocol violations ws_frame_parser reports.
close_code violation_code(std::uint16_t code) {
  return static_cast<close_code>(code);
}

frame close_frame(close_code code, std::string_view reason) {
  std::string payload;
  payload.reserve(2 + reason.size());
  payload += static_cast<char>(static_cast<std::uint16_t>(code) >> 8);
  payload += static_cast<char>(static_cast<std::uint16_t>(code) & 0xFF);
  // A close frame's payload is at most 125 bytes.
  payload.append(reason.substr(0, 123));
  return std::make_shared<const encoded_frame>(payload, encoded_frame::close);
}

} // namespace

ws_connection::ws_connection(std::shared_ptr<gateway_context> context, io_lane& lane,
                             std::uint64_t id)
    : frame_sink(lane), context_(std::move(context)), lane_(lane),
      queue_(context_->config.outbound_queue_frames, context_->config.outbound_queue_bytes),
      id_(id), limiter_(context_->config.rate_limit, context_->config.rate_burst,
                        context_->config.rate_limit_close_after),
      parser_(context_->config.max_message_size), last_input_(lane.now()) {}

ws_connection::~ws_connection() = default;

void ws_connection::start(std::string_view early, auth::verification verified) {
  auto& traffic = *context_->deps.traffic;
  traffic.connections_active.fetch_add(1, std::memory_order_relaxed);
  traffic.connections_total.fetch_add(1, std::memory_order_relaxed);
  context_->deps.metrics->connection_accepted();
  lane_.add(*this);
  const auto& sessions = *context_->deps.sessions;
  // Before anything else can be queued: `welcome` is always the first frame.
  push({make_frame(protocol::encode(
      protocol::welcome{sessions.node + "-" + std::to_string(id_), sessions.node}))});
  session_ = context_->system.spawn(session, context_->deps.sessions, shared_from_this(),
                                    std::move(verified));
  if (!early.empty()) {
    std::string bytes{early};
    on_input(bytes.data(), bytes.size());
  } else {
    write_queued();
  }
}

void ws_connection::on_input(char* data, std::size_t size) {
  if (finished_)
    return;
  last_input_ = lane_.now();
  pinged_ = false;
  if (input_stopped_)
    return;
  std::size_t consumed = 0;
  if (carry_.empty()) {
    parse(data, size, consumed);
    if (consumed < size && !input_stopped_)
      carry_.assign(data + consumed, size - consumed);
  } else {
    carry_.append(data, size);
    parse(carry_.data(), carry_.size(), consumed);
    carry_.erase(0, consumed);
    if (carry_.empty())
      std::string{}.swap(carry_); // no read buffer held while idle
  }
  // Replies to everything this read brought are written together.
  write_queued();
}

void ws_connection::parse(char* data, std::size_t size, std::size_t& consumed) {
  while (!input_stopped_ && !finished_) {
    auto e = parser_.next(data + consumed, size - consumed);
    consumed += e.consumed;
    switch (e.kind) {
    case ws_frame_parser::event::need_more:
      if (e.consumed == 0)
        return;
      break;
    case ws_frame_parser::event::message:
      on_message(e.payload, e.text);
      parser_.release_memory();
      break;
    case ws_frame_parser::event::ping:
      if (!closing_)
        push({std::make_shared<const encoded_frame>(e.payload, encoded_frame::pong)});
      break;
    case ws_frame_parser::event::pong:
      break;
    case ws_frame_parser::event::close:
      on_close_frame(e.code, e.payload);
      return;
    case ws_frame_parser::event::violation:
      notify("session " + std::to_string(id_) + " closed: " + std::string{e.payload} + " (" +
             std::to_string(e.code) + ")");
      input_stopped_ = true;
      carry_.clear();
      start_close(violation_code(e.code), e.payload, true);
      return;
    }
  }
}

void ws_connection::on_message(std::string_view payload, bool text) {
  if (closing_)
    return;
  const auto& config = context_->config;
  counts().received();
  switch (limiter_.check(clock::now())) {
  case rate_limiter::verdict::allow:
    if (text)
      on_text(payload);
    else
      reply_error(protocol::error_code::invalid_message,
                  "binary frames are not supported: send JSON in text frames");
    break;
  case rate_limiter::verdict::drop:
    counts().rate_limited();
    break;
  case rate_limiter::verdict::drop_and_warn:
    counts().rate_limited();
    reply_error(protocol::error_code::rate_limited,
                "more than " + std::to_string(static_cast<int>(config.rate_limit)) +
                    " messages per second: excess messages are dropped");
    break;
  case rate_limiter::verdict::close:
    notify("session " + std::to_string(id_) +
           " closed: over the message rate limit for too long (1008)");
    start_close(close_code::policy_violation, "rate limit exceeded", false);
    break;
  }
}

void ws_connection::on_text(std::string_view text) {
  auto decoded = protocol::decode(text);
  if (auto msg = std::get_if<protocol::client_message>(&decoded)) {
    // Liveness of this connection is answered where the connection lives.
    if (std::holds_alternative<protocol::ping_request>(msg->body))
      reply(make_frame(protocol::encode(protocol::pong{msg->id, protocol::now()})));
    else
      caf::anon_send(session_, std::move(*msg));
    return;
  }
  reply(make_frame(
      protocol::encode(protocol::to_error_reply(std::get<protocol::decode_error>(decoded)))));
}

void ws_connection::on_close_frame(std::uint16_t code, std::string_view) {
  if (!closing_)
    close_code_ = code;
  input_stopped_ = true;
  if (closing_) { // the answer to our close: done once ours is written
    on_progress();
    return;
  }
  // The client leaves: what is queued is moot; echo its close (RFC 6455 5.5.1).
  queue_.clear();
  closing_ = true;
  close_by_ = lane_.now() + context_->config.close_timeout;
  std::string_view none;
  if (code == 1005) // no status: answer with none either
    push({std::make_shared<const encoded_frame>(none, encoded_frame::close)});
  else
    push({close_frame(static_cast<close_code>(code), none)});
}

void ws_connection::reply(frame f) {
  push({std::move(f)});
}

void ws_connection::reply_error(protocol::error_code code, std::string message) {
  protocol::error_reply reply;
  reply.code = code;
  reply.message = std::move(message);
  push({make_frame(protocol::encode(reply))});
}

bool ws_connection::push(const outbound& item) {
  if (queue_.push(item) != outbound_queue::push_result::overflow)
    return true;
  // A client too slow to read: drop what waits and close, before memory grows.
  notify("session " + std::to_string(id_) +
         " closed: too slow to read, outbound queue full (1013)");
  start_close(close_code::try_again_later, "outbound queue full", true);
  return false;
}

void ws_connection::accept(const outbound* items, std::size_t count) {
  if (closing_ || finished_)
    return;
  for (std::size_t i = 0; i < count; ++i)
    if (!push(items[i]))
      return; // closing now; push() has written nothing yet
  write_queued();
}

void ws_connection::close_on_lane(close_code code, std::string reason) {
  close_gracefully(code, std::move(reason));
}

void ws_connection::close_gracefully(close_code code, std::string reason) {
  start_close(code, reason, false);
}

void ws_connection::start_close(close_code code, std::string_view reason, bool drop_queued) {
  if (closing_ || finished_)
    return;
  if (drop_queued)
    queue_.clear();
  closing_ = true;
  close_code_ = static_cast<std::uint16_t>(code);
  close_by_ = lane_.now() + context_->config.close_timeout;
  // The close frame goes out even when the queue is full: it replaces what was queued.
  if (queue_.push({close_frame(code, reason)}) == outbound_queue::push_result::overflow) {
    queue_.clear();
    queue_.push({close_frame(code, reason)});
  }
  write_queued();
}

void ws_connection::when_drained_on_lane(std::size_t low_water, std::function<void()> f) {
  if (finished_)
    return;
  on_drained_ = std::make_unique<drain_watch>(drain_watch{low_water, std::move(f)});
  on_progress();
}

void ws_connection::on_progress() {
  if (finished_)
    return;
  if (on_drained_ && queue_.bytes() <= on_drained_->low_water) {
    auto watch = std::move(on_drained_);
    watch->notify();
  }
  // Our close frame is out and the client answered, or failed the protocol (RFC 6455 7.1.7:
  // no answer is awaited then): close the socket.
  if (closing_ && queue_.empty() && input_stopped_)
    close_transport();
}

void ws_connection::check_timers(clock::time_point now) {
  if (finished_)
    return;
  if (closing_) {
    if (now >= close_by_) // the close could not be completed in time: drop the socket
      close_transport();
    return;
  }
  const auto idle = context_->config.idle_timeout;
  if (now - last_input_ >= idle) {
    notify("session " + std::to_string(id_) + " closed: idle for " +
           std::to_string(std::chrono::duration_cast<std::chrono::seconds>(idle).count()) + " s");
    start_close(close_code::going_away, "idle timeout", false);
  } else if (!pinged_ && now - last_input_ >= idle / 2) {
    // A client that is alive answers with a pong, which counts as input.
    pinged_ = true;
    std::string_view none;
    push({std::make_shared<const encoded_frame>(none, encoded_frame::ping)});
    write_queued();
  }
}

void ws_connection::finish() {
  if (finished_)
    return;
  finished_ = true;
  queue_.clear();
  carry_.clear();
  on_drained_.reset();
  lane_.remove(*this);
  if (session_)
    caf::anon_send_exit(session_, caf::exit_reason::user_shutdown);
  context_->deps.traffic->connections_active.fetch_sub(1, std::memory_order_relaxed);
  context_->deps.metrics->connection_closed(close_code_);
}

void ws_connection::notify(std::string message) const {
  context_->warnings.log(spdlog::level::info, "session_closed", message,
                         {{"session", std::to_string(id_)}});
  context_->notify(protocol::notification_level::warning, std::move(message));
}

} // namespace rtd
