#include "bench/message.hpp"

#include <rapidjson/document.h>

#include <cstring>
#include <string_view>

namespace rtd::bench {

namespace {

int digits(const char* s, int n) {
  int v = 0;
  for (int i = 0; i < n; ++i) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

using value = rapidjson::Value;

const char* string_member(const value& v, const char* name, std::size_t& len) {
  auto it = v.FindMember(name);
  if (it == v.MemberEnd() || !it->value.IsString())
    return nullptr;
  len = it->value.GetStringLength();
  return it->value.GetString();
}

std::string string_or_empty(const value& v, const char* name) {
  std::size_t len = 0;
  const char* s = string_member(v, name, len);
  return s ? std::string(s, len) : std::string();
}

frame_type to_type(const char* s, std::size_t n) {
  auto is = [&](const char* t) { return n == std::strlen(t) && std::memcmp(s, t, n) == 0; };
  if (is("market_update"))
    return frame_type::market_update;
  if (is("notification"))
    return frame_type::notification;
  if (is("pong"))
    return frame_type::pong;
  if (is("calculation_update"))
    return frame_type::calculation_update;
  if (is("subscribed"))
    return frame_type::subscribed;
  if (is("error"))
    return frame_type::error;
  return frame_type::other;
}

} // namespace

std::int64_t parse_timestamp_us(const char* s, std::size_t n) {
  if (n < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
      s[16] != ':')
    return -1;
  int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
  int h = digits(s + 11, 2), mi = digits(s + 14, 2), se = digits(s + 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || mi < 0 || se < 0)
    return -1;
  std::size_t i = 19;
  std::int64_t frac_us = 0;
  if (i < n && s[i] == '.') {
    ++i;
    std::int64_t scale = 100000;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; ++i, scale /= 10)
      frac_us += (s[i] - '0') * scale;
  }
  std::int64_t offset_s = 0;
  if (i < n && (s[i] == '+' || s[i] == '-') && i + 6 <= n) {
    int oh = digits(s + i + 1, 2), om = digits(s + i + 4, 2);
    if (oh < 0 || om < 0)
      return -1;
    offset_s = (s[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  } else if (i >= n || (s[i] != 'Z' && s[i] != 'z')) {
    return -1;
  }
  std::int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset_s;
  return secs * 1'000'000 + frac_us;
}

namespace {

/// The value of integer field `key` (e.g. "\"seq\":") in a flat frame; -1 when absent.
std::int64_t scan_int(std::string_view frame, std::string_view key) {
  auto at = frame.find(key);
  if (at == std::string_view::npos)
    return -1;
  std::int64_t v = -1;
  for (auto i = at + key.size(); i < frame.size() && frame[i] >= '0' && frame[i] <= '9'; ++i)
    v = (v < 0 ? 0 : v * 10) + (frame[i] - '0');
  return v;
}

/// market_update frames come at 100k+/s: when the frame starts with its type (as rtd's and the
/// peers' do) and has exactly one "seq" and one "timestamp", read those two without a full
/// parse. Anything unusual falls back to the JSON parser.
bool scan_market_update(const char* data, std::size_t size, message& out) {
  std::string_view frame(data, size);
  constexpr std::string_view head = R"({"type":"market_update",)";
  constexpr std::string_view seq_key = R"("seq":)";
  constexpr std::string_view ts_key = R"("timestamp":")";
  if (frame.substr(0, head.size()) != head)
    return false;
  auto ts = frame.find(ts_key);
  if (ts == std::string_view::npos || frame.find(ts_key, ts + 1) != std::string_view::npos ||
      frame.find(seq_key) != frame.rfind(seq_key))
    return false;
  auto ts_begin = ts + ts_key.size();
  auto ts_end = frame.find('"', ts_begin);
  if (ts_end == std::string_view::npos || frame.back() != '}')
    return false;
  out = message{};
  out.type = frame_type::market_update;
  out.seq = scan_int(frame, seq_key);
  out.skipped = std::max<std::int64_t>(0, scan_int(frame, R"("skipped":)"));
  out.timestamp_us = parse_timestamp_us(data + ts_begin, ts_end - ts_begin);
  return true;
}

/// The same for notification frames of the ingest mode: their seq and the publisher's stamp
/// ("message":"bench <us>") without a full parse, when each key occurs once.
bool scan_notification(const char* data, std::size_t size, message& out) {
  std::string_view frame(data, size);
  constexpr std::string_view head = R"({"type":"notification",)";
  constexpr std::string_view seq_key = R"("seq":)";
  constexpr std::string_view stamp_key = R"("message":"bench )";
  if (frame.substr(0, head.size()) != head || frame.back() != '}' ||
      frame.find(seq_key) != frame.rfind(seq_key) ||
      frame.find(stamp_key) != frame.rfind(stamp_key))
    return false;
  out = message{};
  out.type = frame_type::notification;
  out.seq = scan_int(frame, seq_key);
  out.sent_us = scan_int(frame, stamp_key);
  return true;
}

} // namespace

bool parse_message(const char* data, std::size_t size, message& out) {
  if (scan_market_update(data, size, out) || scan_notification(data, size, out))
    return true;
  // Both allocators live on the stack for frames of a few hundred bytes: no heap per frame.
  char value_buffer[8192];
  char parse_buffer[2048];
  rapidjson::MemoryPoolAllocator<> value_alloc(value_buffer, sizeof value_buffer);
  rapidjson::MemoryPoolAllocator<> parse_alloc(parse_buffer, sizeof parse_buffer);
  using document = rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>,
                                              rapidjson::MemoryPoolAllocator<>>;
  document doc(&value_alloc, sizeof parse_buffer, &parse_alloc);
  doc.Parse(data, size);
  if (doc.HasParseError() || !doc.IsObject())
    return false;
  std::size_t len = 0;
  const char* type = string_member(doc, "type", len);
  if (!type)
    return false;
  out = message{};
  out.type = to_type(type, len);
  if (auto it = doc.FindMember("seq"); it != doc.MemberEnd() && it->value.IsInt64())
    out.seq = it->value.GetInt64();
  if (auto it = doc.FindMember("skipped"); it != doc.MemberEnd() && it->value.IsInt64())
    out.skipped = it->value.GetInt64();
  if (const char* ts = string_member(doc, "timestamp", len))
    out.timestamp_us = parse_timestamp_us(ts, len);
  switch (out.type) {
  case frame_type::market_update:
  case frame_type::subscribed:
    out.channel = string_or_empty(doc, "channel");
    break;
  case frame_type::calculation_update: {
    out.status = string_or_empty(doc, "status");
    out.calculation_id = string_or_empty(doc, "calculation_id");
    auto result = doc.FindMember("result");
    if (result != doc.MemberEnd() && result->value.IsObject()) {
      auto npv = result->value.FindMember("npv");
      if (npv != result->value.MemberEnd() && npv->value.IsNumber()) {
        out.has_npv = true;
        out.npv = npv->value.GetDouble();
      }
    }
    break;
  }
  case frame_type::notification: {
    constexpr std::string_view stamp = "bench ";
    auto text = string_or_empty(doc, "message");
    if (text.compare(0, stamp.size(), stamp) == 0)
      out.sent_us = scan_int(text, stamp);
    break;
  }
  case frame_type::error:
    out.calculation_id = string_or_empty(doc, "calculation_id");
    out.error_text = string_or_empty(doc, "code") + ": " + string_or_empty(doc, "message");
    break;
  default:
    break;
  }
  return true;
}

} // namespace rtd::bench
