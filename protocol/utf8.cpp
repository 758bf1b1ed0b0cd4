#include "protocol/utf8.hpp"

namespace rtd::protocol {

namespace {

/// For a lead byte: how many continuation bytes follow and the range of the first one
/// (which is what excludes overlong forms, surrogates and code points above U+10FFFF).
struct lead {
  int continuation; ///< -1: not a lead byte
  unsigned char low;
  unsigned char high;
};

lead classify(unsigned char c) {
  if (c < 0x80)
    return {0, 0, 0};
  if (c >= 0xC2 && c <= 0xDF)
    return {1, 0x80, 0xBF};
  if (c == 0xE0)
    return {2, 0xA0, 0xBF};
  if (c == 0xED)
    return {2, 0x80, 0x9F}; // no surrogates
  if (c >= 0xE1 && c <= 0xEF)
    return {2, 0x80, 0xBF};
  if (c == 0xF0)
    return {3, 0x90, 0xBF};
  if (c >= 0xF1 && c <= 0xF3)
    return {3, 0x80, 0xBF};
  if (c == 0xF4)
    return {3, 0x80, 0x8F}; // up to U+10FFFF
  return {-1, 0, 0};
}

/// The length of the valid sequence starting at text[i], or 0 when it is invalid.
std::size_t sequence_length(std::string_view text, std::size_t i) {
  auto l = classify(static_cast<unsigned char>(text[i]));
  if (l.continuation < 0)
    return 0;
  auto n = 1 + static_cast<std::size_t>(l.continuation);
  if (i + n > text.size())
    return 0;
  for (std::size_t k = 1; k < n; ++k) {
    auto c = static_cast<unsigned char>(text[i + k]);
    if (c < (k == 1 ? l.low : 0x80) || c > (k == 1 ? l.high : 0xBF))
      return 0;
  }
  return n;
}

} // namespace

bool utf8_validator::feed(std::string_view bytes) {
  for (char ch : bytes) {
    if (!valid_)
      return false;
    auto c = static_cast<unsigned char>(ch);
    if (needed_ > 0) {
      if (c < low_ || c > high_)
        valid_ = false;
      low_ = 0x80;
      high_ = 0xBF;
      --needed_;
      continue;
    }
    if (c < 0x80)
      continue;
    auto l = classify(c);
    if (l.continuation < 0) {
      valid_ = false;
      continue;
    }
    needed_ = l.continuation;
    low_ = l.low;
    high_ = l.high;
  }
  return valid_;
}

bool is_valid_utf8(std::string_view text) {
  // ASCII is the common case: skip it without the state machine.
  std::size_t i = 0;
  for (; i < text.size(); ++i)
    if (static_cast<unsigned char>(text[i]) >= 0x80)
      break;
  if (i == text.size())
    return true;
  utf8_validator v;
  return v.feed(text.substr(i)) && v.complete();
}

std::string sanitize_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto n = sequence_length(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::size_t utf8_length(std::string_view text) {
  std::size_t n = 0;
  for (char c : text)
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80; // count all but continuation bytes
  return n;
}

} // namespace rtd::protocol
