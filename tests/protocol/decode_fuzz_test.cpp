// Randomly mutated frames: the decoder never crashes, hangs or returns an unexplained error.
// Deterministic (fixed seed); the sanitizer build is where this earns its keep.
#include "protocol/codec.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>

using namespace rtd::protocol;

TEST_CASE("random and mutated frames never crash and always explain themselves") {
  const std::string seeds[] = {
      R"({"type":"calculate","calculation_id":"x","calculation_type":"monte_carlo","live":true,)"
      R"("parameters":{"cash_flows":[1,2.5e3,-3],"discount_rate":"market","iterations":10}})",
      R"({"type":"history","channel":"system","since_seq":4,"from":"2024-01-15T10:30:00Z"})",
      R"({"type":"set_alert","alert_id":"a","metric":"tech_index","condition":"above","threshold":1})",
  };
  std::mt19937 rng(12345); // fixed seed: deterministic
  const char alphabet[] = "{}[]\":,0123456789-+.eE \\u\xc3\xa9\xff\ttruefalsenull";
  int decoded = 0;
  for (int i = 0; i < 20'000; ++i) {
    std::string frame = seeds[static_cast<std::size_t>(i) % std::size(seeds)];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits; ++k) {
      const std::size_t pos = rng() % frame.size();
      switch (rng() % 3) {
      case 0:
        frame[pos] = alphabet[rng() % (sizeof alphabet - 1)];
        break;
      case 1:
        frame.insert(pos, 1, alphabet[rng() % (sizeof alphabet - 1)]);
        break;
      default:
        frame.erase(pos, 1 + rng() % 3);
        if (frame.empty())
          frame = "{";
      }
    }
    const auto result = decode(frame);
    if (auto e = std::get_if<decode_error>(&result)) {
      CHECK_FALSE(e->message.empty());
    } else {
      ++decoded;
    }
  }
  CHECK(decoded > 0); // some mutations stay valid: the check above is not vacuous
}
