#include "actors/result_persistence.hpp"

#include "actors/history_pages.hpp"

#include <algorithm>

namespace rtd {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

std::string to_hex(const result_cache::key& k) {
  std::string text;
  text.reserve(2 * k.size());
  for (auto byte : k)
    text.append({hex_digits[byte >> 4], hex_digits[byte & 0xf]});
  return text;
}

/// The key written by to_hex; false for anything else (a row of another version).
bool from_hex(const std::string& text, result_cache::key& out) {
  auto digit = [](char c) {
    auto p = std::find(std::begin(hex_digits), std::end(hex_digits) - 1, c);
    return p == std::end(hex_digits) - 1 ? -1 : static_cast<int>(p - std::begin(hex_digits));
  };
  if (text.size() != 2 * out.size())
    return false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    int high = digit(text[2 * i]);
    int low = digit(text[2 * i + 1]);
    if (high < 0 || low < 0)
      return false;
    out[i] = static_cast<std::uint8_t>(high << 4 | low);
  }
  return true;
}

} // namespace

void warm(result_cache& cache, const std::vector<store::stored_result>& saved,
          result_cache::clock::time_point now) {
  const auto wall_now = to_micros(protocol::now());
  for (const auto& r : saved) {
    result_cache::key k;
    if (!from_hex(r.key, k))
      continue;
    auto age = std::chrono::microseconds{std::max<std::int64_t>(0, wall_now - r.stored_us)};
    cache.insert(k, r.result, now - std::chrono::duration_cast<result_cache::clock::duration>(age));
  }
}

store::stored_result to_stored(const result_cache::key& k, const std::string& result) {
  return {to_hex(k), result, to_micros(protocol::now())};
}

} // namespace rtd
