// JSON codec of the wire protocol: frames to typed client messages, typed server messages to
// frames. Every decode failure names the bad field and carries the protocol's error code.
#pragma once

#include "protocol/messages.hpp"

#include <string>
#include <string_view>
#include <variant>

namespace rtd::protocol {

/// Why a frame could not become a client message. Carries what could be read of the request
/// (its `id`, `type` and `calculation_id`) so that the error reply can echo them.
struct decode_error {
  error_code code = error_code::invalid_message;
  std::string message;      ///< names the bad field, e.g. "channel must be a string"
  std::string request_type; ///< the request's `type` when it was a string
  correlation_id id;        ///< the request's `id` when it was valid
  std::optional<std::string> calculation_id; ///< the request's `calculation_id` when a string
};

using decode_result = std::variant<client_message, decode_error>;

/// Decodes one text frame. Never throws; anything malformed becomes a `decode_error`.
decode_result decode(std::string_view frame);

/// The reply to a failed decode.
error_reply to_error_reply(decode_error e);

/// Decodes the body of `POST /api/notifications`: {message, level, notification_type}.
/// `level` defaults to info and `notification_type` to info when absent.
std::variant<notification, decode_error> decode_notification_post(std::string_view body);

/// The query parameters of `GET /api/history/{channel}`, as text (empty: absent).
struct history_params {
  std::string channel;
  std::string since_seq;
  std::string from;
  std::string to;
  std::string limit;
};

/// Checks them by the rules of a `history` message, with the same errors.
std::variant<history_request, decode_error> decode_history_params(const history_params& p);

/// The values of a stored `market_update` publication (how the simulator resumes after a
/// restart); nothing when the text is not one.
std::optional<market_snapshot> decode_market_update(std::string_view publication);

// Encoders: each returns one complete JSON text frame.
std::string encode(const welcome& m);
std::string encode(const subscribed& m);
std::string encode(const unsubscribed& m);
std::string encode(const pong& m);
std::string encode(const error_reply& m);
std::string encode(const history_reply& m);
std::string encode(const authenticated& m);
std::string encode(const alert_set& m);
std::string encode(const alert_removed& m);

/// A publication: the body's own fields plus `channel`, `seq`, `epoch` and `timestamp`.
/// (`market_update`, `notification`, `system_status` or `calculation_update`.) For a
/// calculation update, `direct` (if given) also receives it as its requester gets it directly,
/// cut from the same bytes: what encode_direct writes, with the publication's time.
std::string encode_publication(const publication_header& header, const publication_body& body,
                               std::string* direct = nullptr);

/// The `type` of a message these encoders wrote, read from its first bytes: every encoder
/// writes `type` first and no type name needs escaping, so no parsing is needed. Empty when
/// `json` does not start with a `type`.
std::string_view encoded_type(std::string_view json);

/// A message to one session only, without `channel`, `seq` and `epoch` (a requester's own
/// calculation update, a triggered alert).
std::string encode_direct(const notification& m, timestamp time);
std::string encode_direct(const calculation_update& m);

} // namespace rtd::protocol
