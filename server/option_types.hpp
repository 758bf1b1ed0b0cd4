// How the types of rtd's option fields reach CAF's config parser: numbers, strings and
// booleans as CAF reads them (integers bounds-checked for the field's type); durations as
// integers counted in the field's own unit (`--close-timeout-ms=5000` fills milliseconds);
// lists of strings as comma-separated text (`--join=a:1,b:2`; in a config file
// `join="a:1,b:2"`); on the command line a repeated flag adds to the list
// (`--join=a:1 --join=b:2`), which replaces the default and the config file's.
#pragma once

#include <caf/config_option.hpp>
#include <caf/make_config_option.hpp>

#include <chrono>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace rtd {

using string_list = std::vector<std::string>;

/// Whether `host` names this machine only (localhost, ::1, 127.x.y.z).
bool is_loopback(const std::string& host);

template <class T> struct is_duration : std::false_type {};
template <class Rep, class Period>
struct is_duration<std::chrono::duration<Rep, Period>> : std::true_type {};

/// Appends the items of comma-separated `text` to `out`, trimmed, empty ones left out.
void append_items(std::string_view text, string_list& out);

namespace detail {

bool parse_integer(std::string_view text, caf::config_value::integer& out);

const caf::config_option::meta_state* string_list_meta_state();

template <class Duration> const caf::config_option::meta_state* duration_meta_state() {
  using integer = caf::config_value::integer;
  static const caf::config_option::meta_state meta{
      [](const caf::config_value& x) -> caf::error {
        if (caf::holds_alternative<integer>(x))
          return caf::none;
        return caf::make_error(caf::pec::type_mismatch);
      },
      [](void* ptr, const caf::config_value& x) {
        *static_cast<Duration*>(ptr) = Duration{caf::get<integer>(x)};
      },
      [](const void* ptr) {
        return caf::config_value{static_cast<integer>(static_cast<const Duration*>(ptr)->count())};
      },
      [](void* ptr, caf::string_view text) -> caf::expected<caf::config_value> {
        integer value = 0;
        if (!parse_integer({text.data(), text.size()}, value))
          return caf::make_error(caf::pec::type_mismatch);
        if (ptr)
          *static_cast<Duration*>(ptr) = Duration{value};
        return caf::config_value{value};
      },
      "integer"};
  return &meta;
}

} // namespace detail

/// A CAF option in section `global` that reads into `field`.
template <class T>
caf::config_option make_option(T& field, std::string_view name, std::string_view help) {
  if constexpr (is_duration<T>::value)
    return {"global",
            {name.data(), name.size()},
            {help.data(), help.size()},
            detail::duration_meta_state<T>(),
            &field};
  else if constexpr (std::is_same_v<T, string_list>)
    return {"global",
            {name.data(), name.size()},
            {help.data(), help.size()},
            detail::string_list_meta_state(),
            &field};
  else
    return caf::make_config_option(field, "global", {name.data(), name.size()},
                                   {help.data(), help.size()});
}

/// Writes `value` as the config file syntax wants it (strings quoted, durations as counts).
template <class T> void write_value(std::ostream& out, const T& value) {
  if constexpr (is_duration<T>::value) {
    out << value.count();
  } else if constexpr (std::is_same_v<T, string_list>) {
    out << '"';
    for (std::size_t i = 0; i < value.size(); ++i)
      out << (i ? "," : "") << value[i];
    out << '"';
  } else if constexpr (std::is_same_v<T, bool>)
    out << (value ? "true" : "false");
  else if constexpr (std::is_convertible_v<T, std::string_view>)
    out << '"' << value << '"';
  else if constexpr (std::is_same_v<T, std::uint8_t> || std::is_same_v<T, std::int8_t>)
    out << static_cast<int>(value);
  else
    out << value;
}

/// A numeric field's value (a duration's count) for range checks.
template <class T> double numeric_value(const T& value) {
  if constexpr (is_duration<T>::value)
    return static_cast<double>(value.count());
  else
    return static_cast<double>(value);
}

} // namespace rtd
