// Strict UTF-8: what the decoder accepts in strings and what the encoder may emit.
#include "protocol/codec.hpp"
#include "protocol/utf8.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>

using namespace rtd::protocol;

TEST_CASE("valid and invalid UTF-8 sequences") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii"));
  CHECK(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF"));
  CHECK_FALSE(is_valid_utf8("\xED\xB0\x80"));     // U+DC00, a lone low surrogate
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));     // U+D800
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));         // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));     // overlong
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80")); // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xC3"));             // truncated
  CHECK_FALSE(is_valid_utf8("\x80"));             // lone continuation byte
  CHECK_FALSE(is_valid_utf8("\xFF"));
}

TEST_CASE("the incremental validator agrees with the whole-text one at every split") {
  const std::string texts[] = {"caf\xC3\xA9\xF0\x9F\x98\x80", "\xED\xB0\x80", "ab\xE2\x82"};
  for (const auto& t : texts) {
    for (std::size_t split = 0; split <= t.size(); ++split) {
      utf8_validator v;
      bool ok = v.feed(std::string_view{t}.substr(0, split)) &&
                v.feed(std::string_view{t}.substr(split)) && v.complete();
      CHECK(ok == is_valid_utf8(t));
    }
  }
  utf8_validator partial;
  CHECK(partial.feed("\xE2\x82"));
  CHECK_FALSE(partial.complete()); // a valid prefix, not yet a complete text
}

TEST_CASE("sanitize replaces each invalid sequence and keeps the rest") {
  CHECK(sanitize_utf8("a\xED\xB0\x80z") == "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz");
  CHECK(sanitize_utf8("caf\xC3\xA9") == "caf\xC3\xA9");
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string junk(1 + rng() % 16, '\0');
    for (auto& c : junk)
      c = static_cast<char>(rng());
    CHECK(is_valid_utf8(sanitize_utf8(junk)));
  }
}

TEST_CASE("a lone surrogate escape is invalid_message, wherever it is") {
  const char* frames[] = {
      R"({"type":"ping","id":"\udc00"})",
      R"({"type":"calculate","calculation_id":"\udc00","calculation_type":"npv","parameters":{}})",
      R"({"type":"subscribe","channel":"market_data","epoch":"\ud800"})",
      R"({"type":"ping","\udc00":1})",
  };
  for (const char* f : frames) {
    auto result = decode(f);
    auto err = std::get_if<decode_error>(&result);
    REQUIRE(err);
    CHECK(err->code == error_code::invalid_message);
    CHECK(err->message.find("UTF-8") != std::string::npos);
    CHECK(is_valid_utf8(encode(to_error_reply(*err))));
  }
  // A proper surrogate pair is one character and decodes.
  auto ok = decode(R"({"type":"ping","id":"\ud83d\ude00"})");
  REQUIRE(std::holds_alternative<client_message>(ok));
  CHECK(std::get<std::string>(std::get<client_message>(ok).id) == "\xF0\x9F\x98\x80");
}

TEST_CASE("POST bodies with a lone surrogate are refused") {
  auto result = decode_notification_post(R"({"message":"\udc00"})");
  auto err = std::get_if<decode_error>(&result);
  REQUIRE(err);
  CHECK(err->code == error_code::invalid_message);
}

TEST_CASE("the encoder never emits invalid UTF-8, whatever the strings hold") {
  notification n;
  n.message = "bad \xED\xB0\x80 bytes \xFF";
  auto frame = encode_publication({channel::notifications, 1, "e\xC3", now()}, n);
  CHECK(is_valid_utf8(frame));
  error_reply e;
  e.message = "\xC0\xAF";
  e.id = std::string{"\xED\xA0\x80"};
  CHECK(is_valid_utf8(encode(e)));
}
