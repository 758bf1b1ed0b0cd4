#pragma once
// The fields of a server frame that the modes look at, parsed once per frame.

#include <cstddef>
#include <cstdint>
#include <string>

namespace rtd::bench {

enum class frame_type {
  other,
  market_update,
  notification,
  subscribed,
  pong,
  calculation_update,
  error
};

/// A server frame reduced to what the benchmark checks. Absent fields keep their defaults.
struct message {
  frame_type type = frame_type::other;
  std::int64_t seq = -1;          ///< publications
  std::int64_t skipped = 0;       ///< publications a conflating server replaced by this one
  std::int64_t timestamp_us = -1; ///< "timestamp", microseconds since the epoch
  /// notification whose message is "bench <microseconds since the epoch>": when its
  /// publisher sent it.
  std::int64_t sent_us = -1;
  std::string channel;
  std::string status;         ///< calculation_update
  std::string calculation_id; ///< calculation_update, error
  bool has_npv = false;       ///< calculation_update completed: result.npv
  double npv = 0;
  std::string error_text; ///< error: "code: message"
};

/// Parses one JSON text frame; false when it is not a JSON object with a string `type`.
bool parse_message(const char* data, std::size_t size, message& out);

/// "2024-01-15T10:30:00.123456Z" (fraction of 0..9 digits, or a +HH:MM offset) to
/// microseconds since the epoch; -1 when malformed.
std::int64_t parse_timestamp_us(const char* s, std::size_t n);

} // namespace rtd::bench
