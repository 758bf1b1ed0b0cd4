#include "server/option_types.hpp"

#include <charconv>

namespace rtd::detail {

bool parse_integer(std::string_view text, caf::config_value::integer& out) {
  auto end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc{} && ptr == end;
}

} // namespace rtd::detail
