// RFC 3339 timestamps: formatting on the hot path, parsing of client input.
#include "protocol/timestamp.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <ctime>

using namespace rtd::protocol;
using std::chrono::microseconds;

namespace {

timestamp at_us(std::int64_t us) {
  return timestamp{microseconds{us}};
}

std::optional<std::int64_t> parse_us(std::string_view text) {
  auto t = parse_timestamp(text);
  if (!t)
    return std::nullopt;
  return t->time_since_epoch().count();
}

constexpr std::int64_t us_per_s = 1'000'000;

} // namespace

TEST_CASE("format_timestamp writes 27 characters, UTC, microseconds") {
  CHECK(format_timestamp(at_us(0)) == "1970-01-01T00:00:00.000000Z");
  // 2024-01-15T10:30:00Z is 1705314600 s after the epoch.
  CHECK(format_timestamp(at_us(1705314600 * us_per_s + 123456)) == "2024-01-15T10:30:00.123456Z");
  CHECK(format_timestamp(at_us(1705314600 * us_per_s)) == "2024-01-15T10:30:00.000000Z");
  CHECK(format_timestamp(at_us(-1)) == "1969-12-31T23:59:59.999999Z");
  CHECK(format_timestamp(at_us(951782400LL * us_per_s)) == "2000-02-29T00:00:00.000000Z");
  CHECK(format_timestamp(at_us(4107542399LL * us_per_s + 999999)) == "2100-02-28T23:59:59.999999Z");

  char buffer[27];
  const auto t = at_us(1705314600 * us_per_s + 7);
  REQUIRE(format_timestamp(t, buffer) == 27);
  CHECK(std::string(buffer, 27) == format_timestamp(t));
  CHECK(format_timestamp(t).size() == 27);
}

TEST_CASE("format_timestamp clamps to the four-digit years RFC 3339 allows") {
  CHECK(format_timestamp(timestamp::max()) == "9999-12-31T23:59:59.999999Z");
  CHECK(format_timestamp(timestamp::min()) == "0000-01-01T00:00:00.000000Z");
  CHECK(parse_timestamp("9999-12-31T23:59:59.999999Z").has_value());
  CHECK(parse_timestamp("0000-01-01T00:00:00Z").has_value());
}

TEST_CASE("format_timestamp agrees with gmtime_r, second by second across leap years") {
  // 1899-12-31 to 2101: every 7919 s (a prime, so all times of day are visited).
  int checked = 0;
  for (std::int64_t s = -2209075200LL; s < 4133980800LL; s += 7919 * 97) {
    const std::time_t tt = static_cast<std::time_t>(s);
    std::tm tm{};
    REQUIRE(gmtime_r(&tt, &tm) != nullptr);
    char expected[96];
    std::snprintf(expected, sizeof expected, "%04d-%02d-%02dT%02d:%02d:%02d.000042Z",
                  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    const std::string got = format_timestamp(at_us(s * us_per_s + 42));
    if (got != expected) {
      FAIL_CHECK(got << " != " << expected);
      break;
    }
    ++checked;
  }
  CHECK(checked > 8000);
}

TEST_CASE("format and parse round-trip for every day of 0000..9999") {
  constexpr std::int64_t us_per_day = 86'400 * us_per_s;
  const std::int64_t first = *parse_us("0000-01-01T00:00:00Z") / us_per_day;
  const std::int64_t last = *parse_us("9999-12-31T00:00:00Z") / us_per_day;
  CHECK(last - first + 1 == 3'652'425); // 10000 Gregorian years
  std::int64_t mismatches = 0;
  for (std::int64_t day = first; day <= last; ++day) {
    const std::int64_t k = day - first; // non-negative: varies the time of day too
    const std::int64_t us = day * us_per_day + (k % 86'400) * us_per_s + (k * 7 % 1'000'000);
    if (parse_us(format_timestamp(at_us(us))) != us)
      ++mismatches;
  }
  CHECK(mismatches == 0);
}

TEST_CASE("parse_timestamp: fractions, zones and offsets") {
  const std::int64_t base = 1705314600 * us_per_s; // 2024-01-15T10:30:00Z
  CHECK(parse_us("2024-01-15T10:30:00Z") == base);
  CHECK(parse_us("2024-01-15T10:30:00.123456Z") == base + 123456);
  CHECK(parse_us("2024-01-15T10:30:00.5Z") == base + 500000);
  CHECK(parse_us("2024-01-15T10:30:00.000001Z") == base + 1);
  CHECK(parse_us("2024-01-15T10:30:00.123456789Z") == base + 123456); // truncated
  CHECK(parse_us("2024-01-15t10:30:00z") == base);
  CHECK(parse_us("2024-01-15T12:30:00+02:00") == base);
  CHECK(parse_us("2024-01-15T05:00:00-05:30") == base);
  CHECK(parse_us("2024-01-15T10:30:00-00:00") == base);
  CHECK(parse_us("2024-01-16T00:00:00.25+13:30") == base + 250000);
  CHECK(parse_us("2024-01-14T23:59:00-10:31") == base);
  CHECK(parse_us("1969-12-31T23:59:59.999999Z") == -1);
  CHECK(parse_us("1970-01-01T01:00:00+01:00") == 0);
}

TEST_CASE("parse_timestamp: leap years") {
  CHECK(parse_us("2024-02-29T00:00:00Z").has_value());
  CHECK(parse_us("2000-02-29T00:00:00Z").has_value());
  CHECK(parse_us("1600-02-29T00:00:00Z").has_value());
  CHECK_FALSE(parse_us("2023-02-29T00:00:00Z").has_value());
  CHECK_FALSE(parse_us("1900-02-29T00:00:00Z").has_value());
  CHECK_FALSE(parse_us("2100-02-29T00:00:00Z").has_value());
  CHECK_FALSE(parse_us("2024-02-30T00:00:00Z").has_value());
  CHECK(*parse_us("2024-03-01T00:00:00Z") - *parse_us("2024-02-28T00:00:00Z") ==
        2 * 86'400 * us_per_s);
  CHECK(*parse_us("2023-03-01T00:00:00Z") - *parse_us("2023-02-28T00:00:00Z") == 86'400 * us_per_s);
}

TEST_CASE("parse_timestamp rejects invalid text") {
  const char* invalid[] = {
      "",
      "2024",
      "2024-01-15",
      "2024-01-15T10:30:00",    // no zone
      "2024-01-15T10:30Z",      // no seconds
      "2024-01-15 10:30:00Z",   // space separator
      "2024-1-15T10:30:00Z",    // one-digit month
      "2024-01-15T10:30:00.Z",  // empty fraction
      "2024-01-15T10:30:00,5Z", // comma fraction
      "2024-01-15T10:30:00Z ",  // trailing space
      " 2024-01-15T10:30:00Z",  // leading space
      "2024-01-15T10:30:00ZZ",  // trailing garbage
      "2024-13-01T00:00:00Z",   // month 13
      "2024-00-10T00:00:00Z",   // month 0
      "2024-01-00T00:00:00Z",   // day 0
      "2024-01-32T00:00:00Z",   // day 32
      "2024-04-31T00:00:00Z",   // April has 30 days
      "2024-01-15T24:00:00Z",   // hour 24
      "2024-01-15T23:60:00Z",   // minute 60
      "2024-01-15T23:59:60Z",   // leap second: not representable
      "2024-01-15T10:30:00+24:00",
      "2024-01-15T10:30:00+02:60",
      "2024-01-15T10:30:00+0200",
      "2024-01-15T10:30:00+02",
      "2024-01-15T10:30:00 +02:00",
      "-024-01-15T10:30:00Z",
      "2024-01-15T1a:30:00Z",
      "2024/01/15T10:30:00Z",
      "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x94-01-15T10:30:00Z", // full-width digits
      "yesterday",
  };
  for (const char* text : invalid) {
    INFO(text);
    CHECK_FALSE(parse_timestamp(text).has_value());
  }
  CHECK_FALSE(parse_timestamp(std::string_view("2024-01-15T10:30:00Z\0", 21)).has_value());
}

TEST_CASE("now() is the system clock at microsecond resolution") {
  const auto before = std::chrono::system_clock::now();
  const timestamp t = now();
  const auto after = std::chrono::system_clock::now();
  CHECK(t <= after);
  CHECK(t + microseconds{1} > before);
  CHECK(parse_timestamp(format_timestamp(t)) == t);
}
