// Internal to protocol/: guarded JSON parsing and typed field readers for the decoder. Every
// reader failure names its field ("parameters.cash_flows must be ...") and carries the
// protocol's error code, so decode functions read as a list of fields.
#pragma once

#include "protocol/messages.hpp"

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtd::protocol::detail {

/// Deepest nesting accepted; our messages need 3 levels, the rest is headroom for ignored
/// extra fields. Bounds the parser's recursion, so hostile input cannot exhaust the stack.
inline constexpr int max_json_depth = 64;

/// The first failure of any reader sharing it.
struct read_failure {
  error_code code = error_code::invalid_message;
  std::string message;
};

/// Parses `text` into `doc`, in situ on `buffer` (which must outlive `doc`'s strings).
/// Validates UTF-8 (of the text and of every decoded string, so that an escape such as a lone
/// "\udc00" cannot smuggle in a surrogate), limits nesting, and turns numbers too large for a
/// double into +/-inf so that the field that holds one can be named. Returns why the text is
/// not one acceptable JSON value.
std::optional<read_failure> parse_json(std::string_view text, rapidjson::Document& doc,
                                       std::string& buffer);

/// The string value of `v` as a view (RapidJSON strings may hold NUL bytes).
inline std::string_view view(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

/// Reads typed fields of one JSON object. Each method returns false after recording a
/// failure; absent optional fields leave their output untouched.
class field_reader {
public:
  /// `prefix` is prepended to field names in messages; `type_error` is the code of a
  /// missing or mistyped field.
  field_reader(const rapidjson::Value& object, read_failure& failure, std::string prefix = {},
               error_code type_error = error_code::invalid_message)
      : object_(object), failure_(failure), prefix_(std::move(prefix)), type_error_(type_error) {}

  /// A reader of a nested object sharing this one's failure; names get `prefix` appended.
  field_reader nested(const rapidjson::Value& object, std::string_view prefix,
                      error_code type_error) const {
    return field_reader{object, failure_, prefix_ + std::string{prefix}, type_error};
  }

  /// The member `name`, or null when absent.
  const rapidjson::Value* find(const char* name) const;

  bool required_string(const char* name, std::string& out);
  /// A string of at most `max_chars` UTF-8 characters.
  bool optional_string(const char* name, std::optional<std::string>& out,
                       std::size_t max_chars = std::string::npos);
  bool optional_bool(const char* name, bool& out);
  bool optional_uint(const char* name, std::optional<std::uint64_t>& out);
  /// A finite number; an infinite one (from out-of-range text) is `invalid_parameters`.
  bool required_number(const char* name, double& out);
  bool optional_number(const char* name, std::optional<double>& out);
  bool required_number_array(const char* name, std::vector<double>& out);
  /// A finite number or the string "market".
  bool optional_rate(const char* name, std::optional<rate_input>& out);
  /// A required object member, for a nested reader.
  const rapidjson::Value* required_object(const char* name);
  /// An optional RFC 3339 string: mistyped is `type_error`, unparseable `invalid_parameters`.
  bool optional_timestamp(const char* name, std::optional<timestamp>& out);

  /// A string naming an enumerator: `parse` maps names, `unknown` is the code for a name it
  /// does not know, `count` enumerators are listed in the message.
  template <class Enum>
  bool required_enum(const char* name, Enum& out, std::optional<Enum> (*parse)(std::string_view),
                     error_code unknown, std::size_t count) {
    return read_enum(name, true, out, parse, unknown, count);
  }
  template <class Enum>
  bool optional_enum(const char* name, Enum& out, std::optional<Enum> (*parse)(std::string_view),
                     error_code unknown, std::size_t count) {
    return read_enum(name, false, out, parse, unknown, count);
  }
  /// The same, into an optional that stays empty when the field is absent.
  template <class Enum>
  bool optional_enum(const char* name, std::optional<Enum>& out,
                     std::optional<Enum> (*parse)(std::string_view), error_code unknown,
                     std::size_t count) {
    if (!find(name))
      return true;
    Enum value{};
    if (!read_enum(name, true, value, parse, unknown, count))
      return false;
    out = value;
    return true;
  }

  /// Records a failure about field `name`: "<prefix><name> <what>".
  bool fail(error_code code, const char* name, std::string_view what);

private:
  template <class Enum>
  bool read_enum(const char* name, bool required, Enum& out,
                 std::optional<Enum> (*parse)(std::string_view), error_code unknown,
                 std::size_t count) {
    const rapidjson::Value* v = find(name);
    if (!v)
      return required ? missing(name) : true;
    if (!v->IsString())
      return fail(type_error_, name, "must be a string");
    if (auto value = parse(view(*v))) {
      out = *value;
      return true;
    }
    std::string what = "must be one of ";
    for (std::size_t i = 0; i < count; ++i)
      what.append(i == 0 ? "" : ", ").append(to_string(static_cast<Enum>(i)));
    return fail(unknown, name, what);
  }

  bool missing(const char* name) { return fail(type_error_, name, "is required"); }

  const rapidjson::Value& object_;
  read_failure& failure_;
  std::string prefix_;
  error_code type_error_;
};

} // namespace rtd::protocol::detail
