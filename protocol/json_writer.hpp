// Small helpers over RapidJSON's Writer shared by the protocol's encoders. Internal to
// protocol/.
#pragma once

#include "protocol/messages.hpp"
#include "protocol/timestamp.hpp"
#include "protocol/utf8.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace rtd::protocol::detail {

using json_writer = rapidjson::Writer<rapidjson::StringBuffer>;

class frame_builder {
public:
  /// A writer over the emptied buffer.
  json_writer& start() {
    buffer_.Clear();
    writer_.Reset(buffer_);
    return writer_;
  }
  std::string finish() const { return std::string(text()); }
  /// What the writer wrote so far.
  std::string_view text() const { return {buffer_.GetString(), buffer_.GetSize()}; }

private:
  rapidjson::StringBuffer buffer_;
  json_writer writer_{buffer_};
};

inline thread_local frame_builder builder;

inline rapidjson::SizeType size_of(std::string_view s) {
  return static_cast<rapidjson::SizeType>(s.size());
}

// Named per type: an overload set would take a string literal as a bool.
inline void key(json_writer& w, std::string_view k) {
  w.Key(k.data(), size_of(k));
}

/// Writes a string value; invalid UTF-8 is replaced (U+FFFD), so no frame can carry it.
inline void write_string(json_writer& w, std::string_view k, std::string_view v) {
  key(w, k);
  if (is_valid_utf8(v)) {
    w.String(v.data(), size_of(v));
    return;
  }
  auto clean = sanitize_utf8(v);
  w.String(clean.data(), size_of(clean));
}

inline void write_uint(json_writer& w, std::string_view k, std::uint64_t v) {
  key(w, k);
  w.Uint64(v);
}

inline void write_bool(json_writer& w, std::string_view k, bool v) {
  key(w, k);
  w.Bool(v);
}

/// Round-trips any finite double; NaN and infinities are not JSON and become null.
inline void write_double(json_writer& w, std::string_view k, double v) {
  key(w, k);
  if (std::isfinite(v))
    w.Double(v);
  else
    w.Null();
}

inline void write_time(json_writer& w, std::string_view k, timestamp t) {
  char text[27];
  key(w, k);
  w.String(text, static_cast<rapidjson::SizeType>(format_timestamp(t, text)));
}

/// Writes `"id"` when the request had one.
inline void write_id(json_writer& w, const correlation_id& id) {
  if (auto s = std::get_if<std::string>(&id))
    write_string(w, "id", *s);
  else if (auto i = std::get_if<std::int64_t>(&id)) {
    key(w, "id");
    w.Int64(*i);
  }
}

} // namespace rtd::protocol::detail
