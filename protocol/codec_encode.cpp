// Server messages to frames. One Writer and buffer per thread are reused: encode_publication
// runs once per publication on the hot path, and a warm buffer means one allocation (the
// returned string) per frame.
#include "protocol/codec.hpp"

#include "protocol/json_writer.hpp"

namespace rtd::protocol {
namespace {

using namespace detail;

void write_header(json_writer& w, const publication_header& h) {
  write_string(w, "channel", to_string(h.source));
  write_uint(w, "seq", h.seq);
  write_string(w, "epoch", h.epoch);
}

void write_market_data(json_writer& w, const market_snapshot& m) {
  key(w, "data");
  w.StartObject();
  for (std::size_t i = 0; i < market_indicator_count; ++i)
    write_double(w, to_string(static_cast<market_indicator>(i)), m.values[i]);
  w.EndObject();
}

void write_analytics_data(json_writer& w, const analytics_update& a) {
  key(w, "data");
  w.StartObject();
  for (std::size_t i = 0; i < market_indicator_count; ++i) {
    const auto& t = a.indicators[i];
    key(w, to_string(static_cast<market_indicator>(i)));
    w.StartObject();
    write_double(w, "value", t.value);
    write_double(w, "ewma_fast", t.ewma_fast);
    write_double(w, "ewma_slow", t.ewma_slow);
    write_string(w, "trend", to_string(t.trend));
    write_double(w, "trend_strength", t.trend_strength);
    write_double(w, "volatility", t.volatility);
    write_double(w, "zscore", t.zscore);
    w.EndObject();
  }
  w.EndObject();
}

/// A notification's fields; the header follows the timestamp when it is a publication.
void write_notification(json_writer& w, const notification& n, timestamp time,
                        const publication_header* header) {
  write_string(w, "type", "notification");
  write_string(w, "notification_type", to_string(n.category));
  write_string(w, "level", to_string(n.level));
  write_string(w, "message", n.message);
  write_time(w, "timestamp", time);
  if (header)
    write_header(w, *header);
  if (n.alert) {
    write_string(w, "alert_id", n.alert->alert_id);
    write_string(w, "metric", to_string(n.alert->metric));
    write_string(w, "condition", to_string(n.alert->condition));
    write_double(w, "value", n.alert->value);
    if (n.alert->condition == alert_condition::reversal)
      write_string(w, "trend", to_string(n.alert->direction));
    else
      write_double(w, "threshold", n.alert->threshold);
  }
}

void write_history(json_writer& w, const history_figures& h) {
  key(w, "history");
  w.StartObject();
  write_bool(w, "enabled", h.enabled);
  write_uint(w, "written", h.written);
  write_uint(w, "pending", h.pending);
  write_uint(w, "dropped", h.dropped);
  write_uint(w, "write_errors", h.write_errors);
  w.EndObject();
}

void write_system_data(json_writer& w, const system_status& s) {
  key(w, "data");
  w.StartObject();
  write_string(w, "status", s.status);
  if (!s.reasons.empty()) {
    key(w, "reasons");
    w.StartArray();
    for (const auto& reason : s.reasons)
      w.String(reason.data(), size_of(reason));
    w.EndArray();
  }
  write_string(w, "node", s.node);
  write_double(w, "uptime_s", s.uptime_s);
  key(w, "connections");
  w.StartObject();
  write_uint(w, "active", s.connections_active);
  write_uint(w, "total", s.connections_total);
  w.EndObject();
  key(w, "subscribers");
  w.StartObject();
  for (auto c : all_channels)
    write_uint(w, to_string(c), s.subscribers[static_cast<std::size_t>(c)]);
  w.EndObject();
  key(w, "cache");
  w.StartObject();
  write_uint(w, "hits", s.cache_hits);
  write_uint(w, "misses", s.cache_misses);
  const std::uint64_t lookups = s.cache_hits + s.cache_misses;
  write_double(w, "hit_rate",
               lookups == 0 ? 0.0
                            : static_cast<double>(s.cache_hits) / static_cast<double>(lookups));
  write_uint(w, "entries", s.cache_entries);
  write_uint(w, "evictions", s.cache_evictions);
  write_uint(w, "expired", s.cache_expired);
  write_uint(w, "bytes", s.cache_bytes);
  w.EndObject();
  key(w, "calculations");
  w.StartObject();
  write_uint(w, "running", s.calculations_running);
  write_uint(w, "completed", s.calculations_completed);
  write_uint(w, "failed", s.calculations_failed);
  write_double(w, "avg_ms", s.calculations_avg_ms);
  write_uint(w, "memory_bytes", s.calculations_memory_bytes);
  write_uint(w, "refused", s.calculations_refused);
  w.EndObject();
  key(w, "messages");
  w.StartObject();
  write_double(w, "in_per_s", s.messages_in_per_s);
  write_double(w, "out_per_s", s.messages_out_per_s);
  w.EndObject();
  key(w, "memory");
  w.StartObject();
  write_uint(w, "rss_bytes", s.rss_bytes);
  w.EndObject();
  key(w, "limits");
  w.StartObject();
  write_uint(w, "rate_limited", s.rate_limited);
  key(w, "closed");
  w.StartObject();
  for (const auto& [code, count] : s.closed_by_code)
    write_uint(w, code, count);
  w.EndObject();
  key(w, "refused");
  w.StartObject();
  for (const auto& [reason, count] : s.refused_by_reason)
    write_uint(w, reason, count);
  w.EndObject();
  w.EndObject();
  if (s.history)
    write_history(w, *s.history);
  key(w, "cluster");
  w.StartObject();
  key(w, "nodes");
  w.StartArray();
  for (const auto& n : s.nodes) {
    w.StartObject();
    write_string(w, "node", n.node);
    write_string(w, "status", n.status);
    write_bool(w, "leader", n.leader);
    write_uint(w, "connections", n.connections);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndObject();
}

/// A calculation update's fields (a publication adds its header after them).
void write_calculation(json_writer& w, const calculation_update& u, timestamp time) {
  write_string(w, "type", "calculation_update");
  write_string(w, "calculation_id", u.calculation_id);
  write_string(w, "calculation_type", to_string(u.type));
  write_string(w, "status", to_string(u.status));
  write_time(w, "timestamp", time);
  switch (u.status) {
  case calculation_status::started:
    break;
  case calculation_status::processing:
    if (u.progress) {
      key(w, "progress");
      w.Int(*u.progress);
    }
    if (u.message)
      write_string(w, "message", *u.message);
    break;
  case calculation_status::completed:
    key(w, "result");
    // The calculation service wrote the result as JSON already: insert it verbatim.
    if (u.result_json.empty())
      w.Null();
    else
      w.RawValue(u.result_json.data(), u.result_json.size(), rapidjson::kObjectType);
    write_bool(w, "cached", u.cached);
    if (u.duration_ms)
      write_double(w, "duration_ms", *u.duration_ms);
    if (u.live.value_or(false))
      write_bool(w, "live", true);
    if (u.market_seq)
      write_uint(w, "market_seq", *u.market_seq);
    break;
  case calculation_status::failed:
    key(w, "error");
    w.StartObject();
    write_string(w, "code", to_string(u.error.value_or(error_code::internal)));
    write_string(w, "message", u.error_message);
    w.EndObject();
    break;
  case calculation_status::cancelled:
    write_id(w, u.id);
    break;
  }
}

} // namespace

std::string encode(const welcome& m) {
  json_writer& w = builder.start();
  w.StartObject();
  write_string(w, "type", "welcome");
  write_string(w, "session_id", m.session_id);
  write_string(w, "node", m.node);
  key(w, "protocol");
  w.Int(version);
  key(w, "channels");
  w.StartArray();
  for (auto c : all_channels) {
    const std::string_view name = to_string(c);
    w.String(name.data(), size_of(name));
  }
  w.EndArray();
  w.EndObject();
  return builder.finish();
}

std::string encode(const subscribed& m) {
  json_writer& w = builder.start();
  w.StartObject();
  write_string(w, "type", "subscribed");
  write_string(w, "channel", to_string(m.target));
  write_uint(w, "seq", m.seq);
  write_string(w, "epoch", m.epoch);
  if (m.recovered)
    write_bool(w, "recovered", *m.recovered);
  write_id(w, m.id);
  w.EndObject();
  return builder.finish();
}

std::string encode(const unsubscribed& m) {
  json_writer& w = builder.start();
  w.StartObject();
  write_string(w, "type", "unsubscribed");
  write_string(w, "channel", to_string(m.target));
  write_id(w, m.id);
  w.EndObject();
  return builder.finish();
}

std::string encode(const pong& m) {
  json_writer& w = builder.start();
  w.StartObject();
  write_string(w, "type", "pong");
  write_time(w, "timestamp", m.time);
  write_id(w, m.id);
  w.EndObject();
  return builder.finish();
}

std::string encode(const error_reply& m) {
  json_writer& w = builder.start();
  w.StartObject();
  write_string(w, "type", "error");
  write_string(w, "code", to_string(m.code));
  write_string(w, "message", m.message);
  if (!m.request_type.empty())
    write_string(w, "request_type", m.request_type);
  write_id(w, m.id);
  if (m.calculation_id)
    write_string(w, "calculation_id", *m.calculation_id);
  w.EndObject();
  return builder.finish();
}

std::string encode_publication(const publication_header& header, const publication_body& body,
                               std::string* direct) {
  json_writer& w = builder.start();
  w.StartObject();
  if (auto market = std::get_if<market_snapshot>(&body)) {
    write_string(w, "type", "market_update");
    write_header(w, header);
    write_time(w, "timestamp", header.time);
    write_market_data(w, *market);
  } else if (auto n = std::get_if<notification>(&body)) {
    write_notification(w, *n, header.time, &header);
  } else if (auto status = std::get_if<system_status>(&body)) {
    write_string(w, "type", "system_status");
    write_header(w, header);
    write_time(w, "timestamp", header.time);
    write_system_data(w, *status);
  } else if (auto analytics = std::get_if<analytics_update>(&body)) {
    write_string(w, "type", "analytics_update");
    write_header(w, header);
    write_time(w, "timestamp", header.time);
    write_uint(w, "market_seq", analytics->market_seq);
    write_analytics_data(w, *analytics);
  } else if (auto update = std::get_if<calculation_update>(&body)) {
    // The header's time: a publication is stamped when the channel numbers it.
    write_calculation(w, *update, header.time);
    const std::string_view fields = builder.text(); // the header follows, then the end
    if (direct)
      direct->assign(fields).push_back('}');
    write_header(w, header);
  }
  w.EndObject();
  return builder.finish();
}

std::string_view encoded_type(std::string_view json) {
  constexpr std::string_view prefix = R"({"type":")";
  if (json.substr(0, prefix.size()) != prefix)
    return {};
  auto name = json.substr(prefix.size());
  auto end = name.find('"');
  return end == std::string_view::npos ? std::string_view{} : name.substr(0, end);
}

std::string encode_direct(const notification& m, timestamp time) {
  json_writer& w = builder.start();
  w.StartObject();
  write_notification(w, m, time, nullptr);
  w.EndObject();
  return builder.finish();
}

std::string encode_direct(const calculation_update& m) {
  json_writer& w = builder.start();
  w.StartObject();
  write_calculation(w, m, m.time);
  w.EndObject();
  return builder.finish();
}

} // namespace rtd::protocol
