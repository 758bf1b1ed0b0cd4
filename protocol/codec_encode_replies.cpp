// Encoders of the direct replies of history, auth and alerts.
#include "protocol/codec.hpp"

#include "protocol/json_writer.hpp"

namespace rtd::protocol {

using namespace detail;

std::string encode(const history_reply& m) {
  json_writer& w = builder.start();
  w.StartObject();
  write_string(w, "type", "history");
  write_string(w, "channel", to_string(m.target));
  key(w, "items");
  w.StartArray();
  for (const auto& item : m.items)
    w.RawValue(item.data(), item.size(), rapidjson::kObjectType);
  w.EndArray();
  write_bool(w, "has_more", m.has_more);
  write_id(w, m.id);
  w.EndObject();
  return builder.finish();
}

std::string encode(const authenticated& m) {
  json_writer& w = builder.start();
  w.StartObject();
  write_string(w, "type", "authenticated");
  write_string(w, "sub", m.subject);
  key(w, "roles");
  w.StartArray();
  for (const auto& role : m.roles)
    w.String(role.data(), size_of(role));
  w.EndArray();
  write_id(w, m.id);
  w.EndObject();
  return builder.finish();
}

std::string encode(const alert_set& m) {
  json_writer& w = builder.start();
  w.StartObject();
  write_string(w, "type", "alert_set");
  write_string(w, "alert_id", m.alert_id);
  write_string(w, "metric", to_string(m.metric));
  write_string(w, "condition", to_string(m.condition));
  if (m.condition != alert_condition::reversal)
    write_double(w, "threshold", m.threshold);
  write_id(w, m.id);
  w.EndObject();
  return builder.finish();
}

std::string encode(const alert_removed& m) {
  json_writer& w = builder.start();
  w.StartObject();
  write_string(w, "type", "alert_removed");
  write_string(w, "alert_id", m.alert_id);
  if (m.calculation_ended)
    write_string(w, "reason", "calculation_ended");
  write_id(w, m.id);
  w.EndObject();
  return builder.finish();
}

} // namespace rtd::protocol
