// Strict UTF-8 (RFC 3629): what every frame rtd sends must be, and what client strings must
// decode to. Overlong forms, surrogates (U+D800..U+DFFF, e.g. from a lone "\udc00" escape) and
// code points above U+10FFFF are invalid.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rtd::protocol {

/// Incremental validator, for text that arrives in pieces (WebSocket fragments).
class utf8_validator {
public:
  /// Feeds the next bytes; false once the text so far cannot be valid UTF-8.
  bool feed(std::string_view bytes);

  /// True when the text fed so far ends on a character boundary (a complete text).
  bool complete() const { return needed_ == 0 && valid_; }

  void reset() { *this = utf8_validator{}; }

private:
  bool valid_ = true;
  int needed_ = 0;           ///< continuation bytes still expected
  unsigned char low_ = 0x80; ///< bounds of the next continuation byte
  unsigned char high_ = 0xBF;
};

/// Whether `text` is valid UTF-8 as a whole.
bool is_valid_utf8(std::string_view text);

/// `text` with every invalid sequence replaced by U+FFFD.
std::string sanitize_utf8(std::string_view text);

/// The number of characters of valid UTF-8 `text`.
std::size_t utf8_length(std::string_view text);

} // namespace rtd::protocol
