// Internal to auth/: the compact form of a JWS (three base64url segments) and the header
// rules, checked before libjwt is given the token. libjwt 1.10 reads `alg` from the header
// case-insensitively, keeps the last of duplicate fields, ignores `crit`, and writes a byte
// past an empty segment's buffer; these checks close all four.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rtd::auth::detail {

/// The segments of `header.payload.signature`, still base64url-encoded.
struct token_segments {
  std::string_view header;
  std::string_view payload;
  std::string_view signature; ///< may be empty (alg none); the header check refuses that
};

/// Splits `token` at its two dots; nothing when it has another number of dots, an empty
/// header or payload, or a segment that is not unpadded base64url.
std::optional<token_segments> split_token(std::string_view token);

/// Decodes unpadded base64url; nothing when `text` is not that.
std::optional<std::string> base64url_decode(std::string_view text);

/// Checks a decoded header: a JSON object with no duplicate field, `alg` exactly "HS256",
/// `typ` absent or "JWT", no `crit`. Returns the client-facing reason when it is not.
std::optional<std::string> check_header(std::string_view json);

} // namespace rtd::auth::detail
