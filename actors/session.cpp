#include "actors/session.hpp"

#include "protocol/codec.hpp"

#include <caf/all.hpp>

namespace rtd {

namespace {

using self_pointer = session_actor::stateful_pointer<session_state>;

void reply(const session_state& st, const std::string& text) {
  st.sink->send(make_frame(text));
}

/// Dispatches one client message by its type.
struct request_handler {
  self_pointer self;
  const protocol::correlation_id& id;

  session_state& st() const { return self->state; }
  session_actor handle() const { return caf::actor_cast<session_actor>(self); }

  void operator()(protocol::subscribe_request& req) const {
    self->send(channel_of(st().context->channels, req.target),
               subscription{handle(), st().sink, id, req.since_seq, std::move(req.epoch)});
  }

  void operator()(protocol::unsubscribe_request& req) const {
    self->send(channel_of(st().context->channels, req.target),
               unsubscription{handle(), st().sink, id});
  }

  void operator()(protocol::ping_request&) const {
    reply(st(), protocol::encode(protocol::pong{id, protocol::now()}));
  }

  void operator()(protocol::calculate_request& req) const {
    self->send(st().context->calculations,
               calculation_request{handle(), st().sink, id, std::move(req)});
  }

  void operator()(protocol::cancel_request& req) const {
    self->send(st().context->calculations,
               cancellation{handle(), st().sink, id, std::move(req.calculation_id)});
  }

  /// Requests whose features this node does not serve.
  template <class Request> void operator()(Request& req) const {
    protocol::error_reply err;
    err.id = id;
    err.code = protocol::error_code::unknown_type;
    err.request_type = std::string{protocol::type_name(protocol::client_body{req})};
    err.message = err.request_type + " is not supported by this server version";
    reply(st(), protocol::encode(err));
  }
};

} // namespace

session_actor::behavior_type session(self_pointer self,
                                     std::shared_ptr<const session_context> context,
                                     frame_sink_ptr sink, std::string session_id) {
  auto& st = self->state;
  st.context = std::move(context);
  st.sink = std::move(sink);
  st.id = std::move(session_id);
  reply(st, protocol::encode(protocol::welcome{st.id, st.context->node}));
  return {
      [self](protocol::client_message& msg) {
        std::visit(request_handler{self, msg.id}, msg.body);
      },
  };
}

} // namespace rtd
