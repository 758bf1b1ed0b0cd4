// The session's direct replies to its client. Part of the session actor.
#pragma once

#include "actors/session.hpp"
#include "protocol/codec.hpp"

namespace rtd {

inline void reply(const session_state& st, const std::string& text) {
  st.sink->send(make_frame(text));
}

inline void reply_error(const session_state& st, const protocol::correlation_id& id,
                        protocol::error_code code, std::string_view request_type,
                        std::string message) {
  protocol::error_reply err;
  err.id = id;
  err.code = code;
  err.request_type = std::string{request_type};
  err.message = std::move(message);
  reply(st, protocol::encode(err));
}

} // namespace rtd
