#include "protocol/json_reader.hpp"

#include "protocol/utf8.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <cmath>
#include <limits>

namespace rtd::protocol::detail {
namespace {

/// A number RapidJSON refused as too big for a double: the `ordinal`-th number of the text
/// (counting from 0), starting at `offset`.
struct overflow {
  std::size_t ordinal;
  std::size_t offset;
  bool negative;
};

// Enough for a client that means it; a frame full of them is refused as invalid JSON.
constexpr std::size_t max_overflows = 8;

constexpr unsigned parse_flags =
    rapidjson::kParseInsituFlag | rapidjson::kParseValidateEncodingFlag;

/// Builds the document like RapidJSON's own handler, but stops at `max_json_depth` and puts
/// +/-inf where an out-of-range number was blanked out of the text.
class guarded_handler {
public:
  guarded_handler(rapidjson::Document& doc, const std::vector<overflow>& overflows)
      : doc_(doc), overflows_(overflows) {}

  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return overflowed() || doc_.Int(i); }
  bool Uint(unsigned u) { return overflowed() || doc_.Uint(u); }
  bool Int64(std::int64_t i) { return overflowed() || doc_.Int64(i); }
  bool Uint64(std::uint64_t u) { return overflowed() || doc_.Uint64(u); }
  bool Double(double d) { return overflowed() || doc_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
    return doc_.RawNumber(s, n, copy);
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) {
    return valid_text(s, n) && doc_.String(s, n, copy);
  }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) {
    return valid_text(s, n) && doc_.Key(s, n, copy);
  }
  bool StartObject() { return enter() && doc_.StartObject(); }
  bool EndObject(rapidjson::SizeType n) { return leave() && doc_.EndObject(n); }
  bool StartArray() { return enter() && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType n) { return leave() && doc_.EndArray(n); }

  std::size_t numbers_seen() const { return numbers_seen_; }
  bool too_deep() const { return too_deep_; }
  bool bad_text() const { return bad_text_; }

private:
  /// Counts a number; when it stands in for an out-of-range one, pushes the infinity instead.
  bool overflowed() {
    const std::size_t ordinal = numbers_seen_++;
    if (next_ == overflows_.size() || overflows_[next_].ordinal != ordinal)
      return false;
    const double inf = std::numeric_limits<double>::infinity();
    return doc_.Double(overflows_[next_++].negative ? -inf : inf);
  }
  /// RapidJSON checks the raw bytes but decodes a lone surrogate escape into bytes that are
  /// not UTF-8: check what it decoded.
  bool valid_text(const char* s, rapidjson::SizeType n) {
    bad_text_ = !is_valid_utf8({s, n});
    return !bad_text_;
  }
  bool enter() {
    too_deep_ = ++depth_ > max_json_depth;
    return !too_deep_;
  }
  bool leave() {
    --depth_;
    return true;
  }

  rapidjson::Document& doc_;
  const std::vector<overflow>& overflows_;
  std::size_t next_ = 0;
  std::size_t numbers_seen_ = 0;
  int depth_ = 0;
  bool too_deep_ = false;
  bool bad_text_ = false;
};

bool is_number_char(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/// Replaces the number at `offset` by "0" and spaces: same length, so later offsets hold.
void blank_number(std::string& text, std::size_t offset) {
  text[offset] = '0';
  for (std::size_t i = offset + 1; i < text.size() && is_number_char(text[i]); ++i)
    text[i] = ' ';
}

} // namespace

std::optional<read_failure> parse_json(std::string_view text, rapidjson::Document& doc,
                                       std::string& buffer) {
  auto invalid_json = [](std::string message) {
    return read_failure{error_code::invalid_json, std::move(message)};
  };
  // The in-situ parser stops at a NUL; JSON never contains a raw one anyway.
  if (text.find('\0') != std::string_view::npos)
    return invalid_json("invalid JSON: NUL byte");
  std::vector<overflow> overflows;
  for (;;) {
    buffer.assign(text.data(), text.size());
    for (const auto& o : overflows)
      blank_number(buffer, o.offset);
    guarded_handler handler{doc, overflows};
    rapidjson::InsituStringStream stream{buffer.data()};
    rapidjson::Reader reader;
    rapidjson::ParseResult result;
    auto generate = [&](rapidjson::Document&) {
      result = reader.Parse<parse_flags>(stream, handler);
      return !result.IsError();
    };
    doc.Populate(generate);
    if (!result.IsError())
      return std::nullopt;
    if (handler.too_deep())
      return invalid_json("JSON nested deeper than " + std::to_string(max_json_depth) + " levels");
    // A lone high surrogate escape is refused by RapidJSON itself, a lone low one by us.
    if (handler.bad_text() || result.Code() == rapidjson::kParseErrorStringUnicodeSurrogateInvalid)
      return read_failure{error_code::invalid_message,
                          "strings must be valid UTF-8 (a lone surrogate escape such as "
                          "\\udc00 is not)"};
    const std::size_t offset = result.Offset();
    if (result.Code() == rapidjson::kParseErrorNumberTooBig && offset < text.size() &&
        overflows.size() < max_overflows) {
      overflows.push_back({handler.numbers_seen(), offset, text[offset] == '-'});
      continue;
    }
    return invalid_json("invalid JSON at offset " + std::to_string(offset) + ": " +
                        rapidjson::GetParseError_En(result.Code()));
  }
}

const rapidjson::Value* field_reader::find(const char* name) const {
  auto it = object_.FindMember(name);
  return it == object_.MemberEnd() ? nullptr : &it->value;
}

bool field_reader::fail(error_code code, const char* name, std::string_view what) {
  failure_.code = code;
  failure_.message.assign(prefix_).append(name).append(" ").append(what);
  return false;
}

bool field_reader::required_string(const char* name, std::string& out) {
  const rapidjson::Value* v = find(name);
  if (!v)
    return missing(name);
  if (!v->IsString())
    return fail(type_error_, name, "must be a string");
  out.assign(v->GetString(), v->GetStringLength());
  return true;
}

bool field_reader::optional_string(const char* name, std::optional<std::string>& out,
                                   std::size_t max_chars) {
  const rapidjson::Value* v = find(name);
  if (!v)
    return true;
  if (!v->IsString() || utf8_length(view(*v)) > max_chars)
    return fail(type_error_, name,
                max_chars == std::string::npos
                    ? std::string{"must be a string"}
                    : "must be a string of at most " + std::to_string(max_chars) + " characters");
  out.emplace(v->GetString(), v->GetStringLength());
  return true;
}

bool field_reader::optional_bool(const char* name, bool& out) {
  const rapidjson::Value* v = find(name);
  if (!v)
    return true;
  if (!v->IsBool())
    return fail(type_error_, name, "must be a boolean");
  out = v->GetBool();
  return true;
}

bool field_reader::optional_uint(const char* name, std::optional<std::uint64_t>& out) {
  const rapidjson::Value* v = find(name);
  if (!v)
    return true;
  if (!v->IsUint64())
    return fail(type_error_, name, "must be a non-negative integer");
  out = v->GetUint64();
  return true;
}

bool field_reader::required_number(const char* name, double& out) {
  const rapidjson::Value* v = find(name);
  if (!v)
    return missing(name);
  if (!v->IsNumber())
    return fail(type_error_, name, "must be a finite number");
  if (!std::isfinite(v->GetDouble())) // out-of-range text: well-formed, bad value
    return fail(error_code::invalid_parameters, name, "must be a finite number");
  out = v->GetDouble();
  return true;
}

bool field_reader::optional_number(const char* name, std::optional<double>& out) {
  if (!find(name))
    return true;
  double value = 0;
  if (!required_number(name, value))
    return false;
  out = value;
  return true;
}

bool field_reader::required_number_array(const char* name, std::vector<double>& out) {
  const rapidjson::Value* v = find(name);
  if (!v)
    return missing(name);
  constexpr std::string_view what = "must be an array of finite numbers";
  if (!v->IsArray())
    return fail(type_error_, name, what);
  out.clear();
  out.reserve(v->Size());
  for (const auto& item : v->GetArray()) {
    if (!item.IsNumber())
      return fail(type_error_, name, what);
    if (!std::isfinite(item.GetDouble()))
      return fail(error_code::invalid_parameters, name, what);
    out.push_back(item.GetDouble());
  }
  return true;
}

bool field_reader::optional_rate(const char* name, std::optional<rate_input>& out) {
  const rapidjson::Value* v = find(name);
  if (!v)
    return true;
  if (v->IsString()) {
    if (view(*v) != "market")
      return fail(error_code::invalid_parameters, name, "must be a finite number or \"market\"");
    out = rate_input{true, 0.0};
    return true;
  }
  if (!v->IsNumber() || !std::isfinite(v->GetDouble()))
    return fail(v->IsNumber() ? error_code::invalid_parameters : type_error_, name,
                "must be a finite number or \"market\"");
  out = rate_input{false, v->GetDouble()};
  return true;
}

const rapidjson::Value* field_reader::required_object(const char* name) {
  const rapidjson::Value* v = find(name);
  if (!v)
    missing(name);
  else if (!v->IsObject())
    fail(type_error_, name, "must be an object");
  else
    return v;
  return nullptr;
}

bool field_reader::optional_timestamp(const char* name, std::optional<timestamp>& out) {
  const rapidjson::Value* v = find(name);
  if (!v)
    return true;
  if (!v->IsString())
    return fail(type_error_, name, "must be an RFC 3339 timestamp string");
  out = parse_timestamp(view(*v));
  if (!out)
    return fail(error_code::invalid_parameters, name,
                "must be an RFC 3339 timestamp, e.g. 2024-01-15T10:30:00Z");
  return true;
}

} // namespace rtd::protocol::detail
