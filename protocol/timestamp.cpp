#include "protocol/timestamp.hpp"

#include <cstdint>

namespace rtd::protocol {
namespace {

constexpr std::int64_t us_per_second = 1'000'000;
constexpr std::int64_t us_per_day = 86'400 * us_per_second;

// Howard Hinnant's civil-calendar algorithms (proleptic Gregorian, day 0 = 1970-01-01):
// plain integer arithmetic, no locale, no tm, no time zone database.
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct civil_date {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

constexpr civil_date civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2000, 3, 1) == 11017);
static_assert(civil_from_days(11016).day == 29);

constexpr bool is_leap_year(std::int64_t y) {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

constexpr unsigned days_in_month(std::int64_t y, unsigned m) {
  constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29 : days[m - 1];
}

// The four-digit years RFC 3339 can express bound what we format.
constexpr std::int64_t min_us = days_from_civil(0, 1, 1) * us_per_day;
constexpr std::int64_t max_us = days_from_civil(10000, 1, 1) * us_per_day - 1;

/// Writes `value` as exactly `width` decimal digits, most significant first.
inline void write_digits(char* out, std::int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

/// Reads exactly `width` digits at `text[pos]`; false when any of them is not a digit.
bool read_digits(std::string_view text, std::size_t pos, int width, int& out) {
  if (pos + static_cast<std::size_t>(width) > text.size())
    return false;
  out = 0;
  for (int i = 0; i < width; ++i) {
    const char c = text[pos + static_cast<std::size_t>(i)];
    if (c < '0' || c > '9')
      return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

bool char_at(std::string_view text, std::size_t pos, char a, char b = '\0') {
  return pos < text.size() && (text[pos] == a || (b != '\0' && text[pos] == b));
}

} // namespace

timestamp now() {
  return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
}

std::size_t format_timestamp(timestamp t, char (&out)[27]) {
  std::int64_t us = t.time_since_epoch().count();
  us = us < min_us ? min_us : (us > max_us ? max_us : us);
  std::int64_t days = us / us_per_day;
  std::int64_t in_day = us % us_per_day;
  if (in_day < 0) { // floor division for times before 1970
    in_day += us_per_day;
    --days;
  }
  const civil_date date = civil_from_days(days);
  const std::int64_t secs = in_day / us_per_second;
  write_digits(out, date.year, 4);
  out[4] = '-';
  write_digits(out + 5, date.month, 2);
  out[7] = '-';
  write_digits(out + 8, date.day, 2);
  out[10] = 'T';
  write_digits(out + 11, secs / 3600, 2);
  out[13] = ':';
  write_digits(out + 14, secs / 60 % 60, 2);
  out[16] = ':';
  write_digits(out + 17, secs % 60, 2);
  out[19] = '.';
  write_digits(out + 20, in_day % us_per_second, 6);
  out[26] = 'Z';
  return sizeof out;
}

std::string format_timestamp(timestamp t) {
  char buffer[27];
  return std::string(buffer, format_timestamp(t, buffer));
}

std::optional<timestamp> parse_timestamp(std::string_view text) {
  int year, month, day, hour, minute, second;
  if (!read_digits(text, 0, 4, year) || !char_at(text, 4, '-') || !read_digits(text, 5, 2, month) ||
      !char_at(text, 7, '-') || !read_digits(text, 8, 2, day) || !char_at(text, 10, 'T', 't') ||
      !read_digits(text, 11, 2, hour) || !char_at(text, 13, ':') ||
      !read_digits(text, 14, 2, minute) || !char_at(text, 16, ':') ||
      !read_digits(text, 17, 2, second))
    return std::nullopt;
  // A leap second (:60) has no representation on system_clock: rejected with the rest.
  if (month < 1 || month > 12 || day < 1 ||
      static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month)) || hour > 23 ||
      minute > 59 || second > 59)
    return std::nullopt;

  std::size_t pos = 19;
  std::int64_t fraction_us = 0;
  if (char_at(text, pos, '.')) {
    ++pos;
    std::int64_t scale = 100'000;
    const std::size_t first = pos;
    for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, scale /= 10)
      fraction_us += (text[pos] - '0') * scale; // digits past the sixth add 0: truncated
    if (pos == first)
      return std::nullopt;
  }

  std::int64_t offset_minutes = 0;
  if (char_at(text, pos, 'Z', 'z')) {
    ++pos;
  } else if (char_at(text, pos, '+', '-')) {
    const bool negative = text[pos] == '-';
    int off_hour, off_minute;
    if (!read_digits(text, pos + 1, 2, off_hour) || !char_at(text, pos + 3, ':') ||
        !read_digits(text, pos + 4, 2, off_minute) || off_hour > 23 || off_minute > 59)
      return std::nullopt;
    offset_minutes = (off_hour * 60 + off_minute) * (negative ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size())
    return std::nullopt;

  const std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const std::int64_t local_seconds =
      days * 86'400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return timestamp{std::chrono::microseconds{local_seconds * us_per_second + fraction_us}};
}

} // namespace rtd::protocol
