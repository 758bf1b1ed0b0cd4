// Frames to client messages. Each request type is a list of field reads (json_reader.hpp);
// the first failure becomes the error, which echoes what could be read of the request.
#include "protocol/codec.hpp"
#include "protocol/json_reader.hpp"
#include "protocol/utf8.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace rtd::protocol {
namespace {

using detail::field_reader;

// Enumerator counts, for the "must be one of ..." messages.
constexpr std::size_t calculation_type_count = all_calculation_types.size();
constexpr std::size_t level_count = 4;
constexpr std::size_t category_count = 5;
constexpr std::size_t condition_count = 3;

bool read_channel(field_reader& r, channel& out) {
  return r.required_enum("channel", out, parse_channel, error_code::unknown_channel,
                         all_channels.size());
}

bool read_body(field_reader& r, subscribe_request& m) {
  return read_channel(r, m.target) && r.optional_uint("since_seq", m.since_seq) &&
         r.optional_string("epoch", m.epoch, max_id_length) &&
         r.optional_bool("conflate", m.conflate);
}

bool read_body(field_reader& r, unsubscribe_request& m) {
  return read_channel(r, m.target);
}

/// Every type but forecast (which reads a recorded series instead) needs cash flows.
bool read_parameters(field_reader& p, calculation_type type, calculation_parameters& m) {
  return (type == calculation_type::forecast ||
          p.required_number_array("cash_flows", m.cash_flows)) &&
         p.optional_rate("discount_rate", m.discount_rate) &&
         p.optional_number("initial_investment", m.initial_investment) &&
         p.optional_rate("volatility", m.volatility) &&
         p.optional_uint("iterations", m.iterations) && p.optional_uint("seed", m.seed) &&
         p.optional_number("variation", m.variation) &&
         p.optional_enum("indicator", m.indicator, parse_market_indicator,
                         error_code::invalid_parameters, market_indicator_count) &&
         p.optional_uint("horizon", m.horizon) &&
         p.optional_enum("method", m.method, parse_forecast_method, error_code::invalid_parameters,
                         forecast_method_count) &&
         p.optional_uint("window", m.window) && p.optional_number("alpha", m.alpha) &&
         p.optional_number("beta", m.beta) && p.optional_uint("paths", m.paths);
}

bool read_body(field_reader& r, calculate_request& m) {
  if (!r.required_enum("calculation_type", m.type, parse_calculation_type,
                       error_code::unknown_calculation_type, calculation_type_count) ||
      !r.optional_string("calculation_id", m.calculation_id, max_id_length) ||
      !r.optional_bool("live", m.live))
    return false;
  const rapidjson::Value* parameters = r.required_object("parameters");
  if (!parameters)
    return false;
  // Inside `parameters` every bad field is a bad parameter, mistyped or missing alike.
  field_reader p = r.nested(*parameters, "parameters.", error_code::invalid_parameters);
  return read_parameters(p, m.type, m.parameters);
}

bool read_body(field_reader& r, cancel_request& m) {
  return r.required_string("calculation_id", m.calculation_id);
}

bool read_body(field_reader&, ping_request&) {
  return true;
}

bool read_body(field_reader& r, auth_request& m) {
  return r.required_string("token", m.token);
}

/// Alert ids are bounded like calculation ids: a session keeps them.
bool read_alert_id(field_reader& r, std::string& out) {
  std::optional<std::string> id;
  if (!r.optional_string("alert_id", id, max_id_length))
    return false;
  if (!id)
    return r.fail(error_code::invalid_message, "alert_id", "is required");
  out = std::move(*id);
  return true;
}

/// An unknown metric is a bad parameter; the message lists what may be watched.
bool read_metric(field_reader& r, alert_metric& out) {
  std::string name;
  if (!r.required_string("metric", name))
    return false;
  if (auto metric = parse_alert_metric(name)) {
    out = *metric;
    return true;
  }
  std::string what = "must be a market field (";
  for (std::size_t i = 0; i < market_indicator_count; ++i)
    what.append(i == 0 ? "" : ", ").append(to_string(static_cast<market_indicator>(i)));
  what.append("), analytics.<market field>.<");
  for (std::size_t i = 0; i < analytics_measure_count; ++i)
    what.append(i == 0 ? "" : "|").append(to_string(static_cast<analytics_measure>(i)));
  what.append("> or calculation:<calculation_id>.<result field>");
  return r.fail(error_code::invalid_parameters, "metric", what);
}

/// `reversal` goes with trend_reversal and nothing else; a reversal has no threshold.
bool read_condition(field_reader& r, set_alert_request& m) {
  if (!r.required_enum("condition", m.condition, parse_alert_condition,
                       error_code::invalid_parameters, condition_count))
    return false;
  if (!condition_fits(m.metric, m.condition))
    return r.fail(error_code::invalid_parameters, "condition",
                  m.condition == alert_condition::reversal
                      ? "reversal applies only to analytics.<market field>.trend_reversal"
                      : "must be reversal for a trend_reversal metric");
  return m.condition == alert_condition::reversal || r.required_number("threshold", m.threshold);
}

bool read_body(field_reader& r, set_alert_request& m) {
  return read_alert_id(r, m.alert_id) && read_metric(r, m.metric) && read_condition(r, m);
}

bool read_body(field_reader& r, remove_alert_request& m) {
  return read_alert_id(r, m.alert_id);
}

/// A mistyped `limit` is a bad message, an out-of-range one a bad parameter.
bool read_limit(field_reader& r, std::uint32_t& out) {
  const rapidjson::Value* v = r.find("limit");
  if (!v)
    return true;
  if (!v->IsInt64() && !v->IsUint64())
    return r.fail(error_code::invalid_message, "limit", "must be an integer");
  if (!v->IsInt64() || v->GetInt64() < 1 || v->GetInt64() > max_history_limit)
    return r.fail(error_code::invalid_parameters, "limit",
                  "must be between 1 and " + std::to_string(max_history_limit));
  out = static_cast<std::uint32_t>(v->GetInt64());
  return true;
}

bool read_body(field_reader& r, history_request& m) {
  return read_channel(r, m.target) && r.optional_uint("since_seq", m.since_seq) &&
         r.optional_timestamp("from", m.from) && r.optional_timestamp("to", m.to) &&
         (!m.from || !m.to || *m.from <= *m.to ||
          r.fail(error_code::invalid_parameters, "from", "must not be after to")) &&
         read_limit(r, m.limit);
}

bool read_id(field_reader& r, correlation_id& out) {
  const rapidjson::Value* v = r.find("id");
  if (!v)
    return true;
  if (v->IsString() && utf8_length(detail::view(*v)) <= max_id_length)
    out = std::string{detail::view(*v)};
  else if (v->IsInt64())
    out = v->GetInt64();
  else
    return r.fail(error_code::invalid_message, "id",
                  "must be a string of at most " + std::to_string(max_id_length) +
                      " characters or an integer");
  return true;
}

template <std::size_t... I>
std::array<client_body, sizeof...(I)> make_prototypes(std::index_sequence<I...>) {
  return {client_body{std::in_place_index<I>}...};
}

/// One default body of each client message type: type_name() is the single list of names.
const std::array<client_body, std::variant_size_v<client_body>>& prototypes() {
  static const auto all =
      make_prototypes(std::make_index_sequence<std::variant_size_v<client_body>>{});
  return all;
}

bool read_type(field_reader& r, client_body& out) {
  std::string type;
  if (!r.required_string("type", type))
    return false;
  for (const auto& p : prototypes()) {
    if (type_name(p) == type) {
      out = p;
      return true;
    }
  }
  std::string what = "must be one of ";
  for (const auto& p : prototypes())
    what.append(&p == &prototypes().front() ? "" : ", ").append(type_name(p));
  return r.fail(error_code::unknown_type, "type", what);
}

/// Parses `text` as one JSON object; on failure, says why as `error`.
bool parse_object(std::string_view text, rapidjson::Document& doc, std::string_view what,
                  decode_error& error) {
  // Reused per thread: in-situ parsing needs a mutable copy of the frame.
  thread_local std::string buffer;
  if (auto why = detail::parse_json(text, doc, buffer)) {
    error.code = why->code;
    error.message = std::move(why->message);
    return false;
  }
  if (!doc.IsObject()) {
    error.code = error_code::invalid_message;
    error.message = std::string{what} + " must be a JSON object";
    return false;
  }
  return true;
}

/// Values allocate from the stack first: small messages never touch the heap for the DOM.
struct stack_document {
  char memory[4096];
  rapidjson::MemoryPoolAllocator<> allocator{memory, sizeof memory};
  rapidjson::Document doc{&allocator};
};

/// A query parameter as the JSON value a `history` message would carry: an integer when the
/// text is one, else the text (so a bad value gets the message's own error).
void add_param(rapidjson::Document& doc, const char* name, const std::string& text) {
  if (text.empty())
    return;
  auto& alloc = doc.GetAllocator();
  rapidjson::Value value;
  std::int64_t number = 0;
  std::uint64_t large = 0;
  auto end = text.data() + text.size();
  if (auto [ptr, ec] = std::from_chars(text.data(), end, number); ec == std::errc{} && ptr == end)
    value.SetInt64(number);
  else if (auto [p, e] = std::from_chars(text.data(), end, large); e == std::errc{} && p == end)
    value.SetUint64(large);
  else
    value.SetString(text.data(), static_cast<rapidjson::SizeType>(text.size()), alloc);
  doc.AddMember(rapidjson::StringRef(name), value, alloc);
}

} // namespace

decode_result decode(std::string_view frame) {
  stack_document d;
  decode_error error;
  if (!parse_object(frame, d.doc, "message", error))
    return error;
  // What the error reply echoes, read before anything can fail.
  if (auto type = d.doc.FindMember("type"); type != d.doc.MemberEnd() && type->value.IsString())
    error.request_type = detail::view(type->value);
  if (auto calc = d.doc.FindMember("calculation_id");
      calc != d.doc.MemberEnd() && calc->value.IsString())
    error.calculation_id = std::string{detail::view(calc->value)};

  detail::read_failure failure;
  field_reader r{d.doc, failure};
  client_message message;
  if (read_id(r, message.id) && read_type(r, message.body) &&
      std::visit([&](auto& body) { return read_body(r, body); }, message.body))
    return message;
  error.code = failure.code;
  error.message = std::move(failure.message);
  error.id = std::move(message.id); // still empty when the id itself was bad
  return error;
}

error_reply to_error_reply(decode_error e) {
  return error_reply{std::move(e.id), e.code, std::move(e.message), std::move(e.request_type),
                     std::move(e.calculation_id)};
}

std::variant<notification, decode_error> decode_notification_post(std::string_view body) {
  stack_document d;
  decode_error error;
  if (!parse_object(body, d.doc, "body", error))
    return error;
  detail::read_failure failure;
  field_reader r{d.doc, failure};
  notification n;
  if (r.required_string("message", n.message) &&
      (!n.message.empty() ||
       r.fail(error_code::invalid_parameters, "message", "must not be empty")) &&
      r.optional_enum("level", n.level, parse_notification_level, error_code::invalid_parameters,
                      level_count) &&
      r.optional_enum("notification_type", n.category, parse_notification_category,
                      error_code::invalid_parameters, category_count))
    return n;
  error.code = failure.code;
  error.message = std::move(failure.message);
  return error;
}

} // namespace rtd::protocol

namespace rtd::protocol {

std::variant<history_request, decode_error> decode_history_params(const history_params& p) {
  stack_document d;
  d.doc.SetObject();
  auto& alloc = d.doc.GetAllocator();
  d.doc.AddMember(
      "channel",
      rapidjson::Value{p.channel.data(), static_cast<rapidjson::SizeType>(p.channel.size()), alloc},
      alloc);
  add_param(d.doc, "since_seq", p.since_seq);
  add_param(d.doc, "from", p.from);
  add_param(d.doc, "to", p.to);
  add_param(d.doc, "limit", p.limit);
  detail::read_failure failure;
  field_reader r{d.doc, failure};
  history_request h;
  if (read_body(r, h))
    return h;
  decode_error error;
  error.code = failure.code;
  error.message = std::move(failure.message);
  error.request_type = "history";
  return error;
}

std::optional<market_snapshot> decode_market_update(std::string_view publication) {
  stack_document d;
  decode_error error;
  if (!parse_object(publication, d.doc, "publication", error))
    return std::nullopt;
  auto type = d.doc.FindMember("type");
  auto data = d.doc.FindMember("data");
  if (type == d.doc.MemberEnd() || !type->value.IsString() ||
      detail::view(type->value) != "market_update" || data == d.doc.MemberEnd() ||
      !data->value.IsObject())
    return std::nullopt;
  market_snapshot m;
  for (std::size_t i = 0; i < market_indicator_count; ++i) {
    auto name = to_string(static_cast<market_indicator>(i));
    auto v =
        data->value.FindMember(rapidjson::Value{rapidjson::StringRef(name.data(), name.size())});
    if (v == data->value.MemberEnd() || !v->value.IsNumber())
      return std::nullopt;
    m.values[i] = v->value.GetDouble();
  }
  return m;
}

} // namespace rtd::protocol
