#include "auth/token_format.hpp"

#include <openssl/evp.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <vector>

namespace rtd::auth::detail {

namespace {

/// Iterative, so that deep nesting cannot exhaust the stack; UTF-8 validated, as libjwt's
/// parser (jansson) does.
constexpr unsigned parse_flags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

bool parse_object(std::string_view json, rapidjson::Document& doc) {
  doc.Parse<parse_flags>(json.data(), json.size());
  return !doc.HasParseError() && doc.IsObject();
}

std::string_view view(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

bool is_base64url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

/// Unpadded base64url: its alphabet only, and not 4n + 1 long (6 bits, less than a byte).
bool is_base64url_text(std::string_view text) {
  return text.size() % 4 != 1 && std::all_of(text.begin(), text.end(), is_base64url);
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

/// Names the refused alg only when it looks like one: the reason goes back to the client.
std::string unsupported_alg(std::string_view alg) {
  bool plain = alg.size() <= 16 && std::all_of(alg.begin(), alg.end(), [](char c) {
                 return is_base64url(c) && c != '-' && c != '_';
               });
  return plain && !alg.empty() ? "unsupported alg " + std::string{alg} : "unsupported alg";
}

} // namespace

std::optional<token_segments> split_token(std::string_view token) {
  auto first = token.find('.');
  if (first == std::string_view::npos)
    return std::nullopt;
  auto second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    return std::nullopt;
  token_segments parts{token.substr(0, first), token.substr(first + 1, second - first - 1),
                       token.substr(second + 1)};
  if (parts.header.empty() || parts.payload.empty() || !is_base64url_text(parts.header) ||
      !is_base64url_text(parts.payload) || !is_base64url_text(parts.signature))
    return std::nullopt;
  return parts;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (!is_base64url_text(text))
    return std::nullopt;
  std::string padded{text};
  std::replace(padded.begin(), padded.end(), '-', '+');
  std::replace(padded.begin(), padded.end(), '_', '/');
  std::size_t padding = (4 - padded.size() % 4) % 4;
  padded.append(padding, '=');
  std::string bytes(padded.size() / 4 * 3, '\0');
  int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                               reinterpret_cast<const unsigned char*>(padded.data()),
                               static_cast<int>(padded.size()));
  if (length < 0)
    return std::nullopt;
  // EVP_DecodeBlock counts the zero bytes that stand for the padding.
  bytes.resize(static_cast<std::size_t>(length) - padding);
  return bytes;
}

std::optional<std::string> check_header(std::string_view json) {
  rapidjson::Document doc;
  if (!parse_object(json, doc))
    return "malformed token";
  // Two algs would let two readers of one token see different ones.
  std::vector<std::string_view> names;
  for (const auto& member : doc.GetObject())
    names.push_back(view(member.name));
  std::sort(names.begin(), names.end());
  if (std::adjacent_find(names.begin(), names.end()) != names.end())
    return "malformed token: duplicate header field";

  auto alg = doc.FindMember("alg");
  if (alg == doc.MemberEnd())
    return "malformed token: missing alg";
  if (!alg->value.IsString() || view(alg->value) != "HS256") // alg is case-sensitive
    return unsupported_alg(alg->value.IsString() ? view(alg->value) : std::string_view{});
  auto typ = doc.FindMember("typ");
  if (typ != doc.MemberEnd() &&
      (!typ->value.IsString() || !equals_ignoring_case(view(typ->value), "JWT")))
    return "unsupported typ";
  // crit names extensions the verifier must understand; rtd understands none.
  if (doc.HasMember("crit"))
    return "unsupported crit";
  return std::nullopt;
}

} // namespace rtd::auth::detail
