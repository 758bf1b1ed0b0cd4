#include "server/option_types.hpp"

#include <charconv>

namespace rtd {

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

void append_items(std::string_view text, string_list& out) {
  while (!text.empty()) {
    auto comma = text.find(',');
    auto item = text.substr(0, comma);
    while (!item.empty() && item.front() == ' ')
      item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ')
      item.remove_suffix(1);
    if (!item.empty())
      out.emplace_back(item);
    if (comma == std::string_view::npos)
      break;
    text.remove_prefix(comma + 1);
  }
}

} // namespace rtd

namespace rtd::detail {

bool parse_integer(std::string_view text, caf::config_value::integer& out) {
  auto end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc{} && ptr == end;
}

namespace {

std::string joined(const string_list& list) {
  std::string text;
  for (const auto& item : list)
    text.append(text.empty() ? "" : ",").append(item);
  return text;
}

} // namespace

const caf::config_option::meta_state* string_list_meta_state() {
  static const caf::config_option::meta_state meta{
      [](const caf::config_value& x) -> caf::error {
        if (caf::holds_alternative<std::string>(x))
          return caf::none;
        return caf::make_error(caf::pec::type_mismatch);
      },
      [](void* ptr, const caf::config_value& x) {
        auto& list = *static_cast<string_list*>(ptr);
        list.clear();
        append_items(caf::get<std::string>(x), list);
      },
      [](const void* ptr) {
        return caf::config_value{joined(*static_cast<const string_list*>(ptr))};
      },
      // A command-line flag: CAF parses, then stores what the parse returns, so a repeated
      // flag adds its items and hands back the whole list.
      [](void* ptr, caf::string_view text) -> caf::expected<caf::config_value> {
        if (!ptr)
          return caf::config_value{std::string{text.data(), text.size()}};
        auto& list = *static_cast<string_list*>(ptr);
        append_items({text.data(), text.size()}, list);
        return caf::config_value{joined(list)};
      },
      "list of strings"};
  return &meta;
}

} // namespace rtd::detail
