#include "gateway/ws_connection.hpp"

#include "actors/session.hpp"
#include "protocol/codec.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

namespace rtd {

namespace {

websocket::stream_base::timeout timeouts(const gateway_config& config) {
  auto t = websocket::stream_base::timeout::suggested(beast::role_type::server);
  // Also bounds the closing handshake.
  t.handshake_timeout = config.close_timeout;
  return t;
}

} // namespace

ws_connection::ws_connection(lane_socket socket, std::shared_ptr<gateway_context> context,
                             io_lane& lane)
    : context_(std::move(context)), ws_(std::move(socket)), lane_(lane),
      id_(context_->next_session.fetch_add(1, std::memory_order_relaxed)),
      limiter_(context_->config.rate_limit, context_->config.rate_burst,
               context_->config.rate_limit_close_after),
      queue_(context_->config.outbound_queue_frames, context_->config.outbound_queue_bytes) {}

void ws_connection::accept(http::request<http::string_body> request) {
  ws_.set_option(timeouts(context_->config));
  ws_.read_message_max(context_->config.max_message_size);
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, "rtd"); }));
  ws_.async_accept(request,
                   beast::bind_front_handler(&ws_connection::on_accept, shared_from_this()));
}

void ws_connection::on_accept(beast::error_code ec) {
  if (ec) {
    spdlog::debug("connection {}: upgrade failed: {}", id_, ec.message());
    return;
  }
  auto& traffic = *context_->deps.traffic;
  traffic.connections_active.fetch_add(1, std::memory_order_relaxed);
  traffic.connections_total.fetch_add(1, std::memory_order_relaxed);
  context_->connections.add(id_, weak_from_this());
  session_ = context_->system.spawn(session, context_->deps.sessions,
                                    std::static_pointer_cast<frame_sink>(shared_from_this()),
                                    context_->deps.sessions->node + "-" + std::to_string(id_));
  read();
}

void ws_connection::read() {
  ws_.async_read(read_buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    self->on_read(ec);
  });
}

void ws_connection::on_read(beast::error_code ec) {
  if (ec) {
    if (ec == websocket::error::message_too_big) {
      // Beast has already sent the 1009 close frame.
      context_->notify(protocol::notification_level::warning,
                       describe() + " closed: message over " +
                           std::to_string(context_->config.max_message_size) + " bytes (1009)");
    }
    finish();
    return;
  }
  context_->deps.traffic->messages_in.fetch_add(1, std::memory_order_relaxed);
  switch (limiter_.check(rate_limiter::clock::now())) {
  case rate_limiter::verdict::allow:
    if (ws_.got_text()) {
      auto data = read_buffer_.cdata();
      handle_text({static_cast<const char*>(data.data()), data.size()});
    } else {
      reply_error(protocol::error_code::invalid_message,
                  "binary frames are not supported: send JSON in text frames");
    }
    break;
  case rate_limiter::verdict::drop:
    break;
  case rate_limiter::verdict::drop_and_warn:
    reply_error(protocol::error_code::rate_limited,
                "more than " + std::to_string(static_cast<int>(context_->config.rate_limit)) +
                    " messages per second: excess messages are dropped");
    break;
  case rate_limiter::verdict::close:
    context_->notify(protocol::notification_level::warning,
                     describe() + " closed: over the message rate limit for too long (1008)");
    close(close_code::policy_violation, "rate limit exceeded");
    break;
  }
  read_buffer_.consume(read_buffer_.size());
  read();
}

void ws_connection::handle_text(std::string_view text) {
  auto decoded = protocol::decode(text);
  if (auto msg = std::get_if<protocol::client_message>(&decoded)) {
    // Liveness of this connection is answered where the connection lives: two thread hops
    // fewer than through the session (bench/HOT_PATH.md).
    if (std::holds_alternative<protocol::ping_request>(msg->body)) {
      send_here(make_frame(protocol::encode(protocol::pong{msg->id, protocol::now()})));
      return;
    }
    caf::anon_send(session_, std::move(*msg));
    return;
  }
  auto reply = protocol::to_error_reply(std::move(std::get<protocol::decode_error>(decoded)));
  send_here(make_frame(protocol::encode(reply)));
}

void ws_connection::reply_error(protocol::error_code code, std::string message) {
  protocol::error_reply reply;
  reply.code = code;
  reply.message = std::move(message);
  send_here(make_frame(protocol::encode(reply)));
}

bool ws_connection::send(frame f) {
  std::lock_guard<std::mutex> lock{mutex_};
  if (!enqueue(std::move(f)))
    return false;
  schedule_flush();
  return true;
}

void ws_connection::send_here(frame f) {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    if (!enqueue(std::move(f)))
      return;
  }
  flush();
}

bool ws_connection::enqueue(frame f) {
  if (closing_)
    return false;
  if (queue_.push(std::move(f)))
    return true;
  // A client too slow to read: drop what waits and close, before memory grows.
  queue_.clear();
  closing_ = true;
  close_code_ = close_code::try_again_later;
  close_reason_ = "outbound queue full";
  net::post(ws_.get_executor(), [self = shared_from_this()] {
    self->context_->notify(protocol::notification_level::warning,
                           self->describe() + " closed: too slow to read, outbound queue " +
                               "full (1013)");
    self->start_close();
  });
  return false;
}

void ws_connection::close(close_code code, std::string reason) {
  std::lock_guard<std::mutex> lock{mutex_};
  if (closing_)
    return;
  closing_ = true;
  close_code_ = code;
  close_reason_ = std::move(reason);
  // Frames already queued go out first; flush() starts the close once they are written.
  schedule_flush();
}

void ws_connection::schedule_flush() {
  if (flush_scheduled_)
    return;
  flush_scheduled_ = true;
  net::post(ws_.get_executor(), [self = shared_from_this()] { self->flush(); });
}

void ws_connection::flush() {
  if (write_in_flight_ || finished_)
    return; // on_write() comes back here
  bool closing;
  {
    std::lock_guard<std::mutex> lock{mutex_};
    flush_scheduled_ = false;
    queue_.take(writing_);
    closing = closing_;
  }
  if (!writing_.empty()) {
    writing_bytes_ = 0;
    for (const auto& f : writing_)
      writing_bytes_ += f->size();
    write_index_ = 0;
    write_next();
  } else if (closing) {
    start_close();
  }
}

void ws_connection::write_next() {
  write_in_flight_ = true;
  ws_.async_write(
      net::buffer(*writing_[write_index_]),
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
}

void ws_connection::on_write(beast::error_code ec) {
  write_in_flight_ = false;
  if (ec) {
    spdlog::debug("{}: write failed: {}", describe(), ec.message());
    ws_.next_layer().close(ec); // ends the read loop, which finishes
    return;
  }
  context_->deps.traffic->messages_out.fetch_add(1, std::memory_order_relaxed);
  if (++write_index_ < writing_.size()) {
    write_next();
    return;
  }
  {
    std::lock_guard<std::mutex> lock{mutex_};
    queue_.release(writing_.size(), writing_bytes_);
  }
  writing_.clear();
  flush();
}

void ws_connection::start_close() {
  if (finished_ || close_sent_)
    return;
  if (!close_deadline_) {
    close_deadline_.emplace(ws_.get_executor(), context_->config.close_timeout);
    close_deadline_->async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) // the close could not be written in time: drop the socket
        self->ws_.next_layer().close(ec);
    });
  }
  if (write_in_flight_)
    return; // on_write() -> flush() comes back here once the write is done
  close_sent_ = true;
  websocket::close_reason reason{static_cast<websocket::close_code>(close_code_), close_reason_};
  ws_.async_close(reason, beast::bind_front_handler(&ws_connection::on_closed, shared_from_this()));
}

void ws_connection::on_closed(beast::error_code ec) {
  if (ec)
    spdlog::debug("{}: close failed: {}", describe(), ec.message());
  // The pending read completes with an error now and calls finish().
}

void ws_connection::terminate() {
  beast::error_code ec;
  ws_.next_layer().close(ec);
  finish();
}

void ws_connection::finish() {
  if (finished_)
    return;
  finished_ = true;
  if (close_deadline_)
    close_deadline_->cancel();
  {
    std::lock_guard<std::mutex> lock{mutex_};
    closing_ = true;
    queue_.clear();
  }
  if (session_) {
    caf::anon_send_exit(session_, caf::exit_reason::user_shutdown);
    context_->deps.traffic->connections_active.fetch_sub(1, std::memory_order_relaxed);
    context_->connections.remove(id_);
  }
}

std::string ws_connection::describe() const {
  return "session " + std::to_string(id_);
}

} // namespace rtd
