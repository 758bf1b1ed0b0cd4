// RFC 3339 UTC timestamps with microseconds: 2024-01-15T10:30:00.123456Z.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace rtd::protocol {

/// A point in time at the wire's resolution.
using timestamp = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;

/// The current time, truncated to microseconds.
timestamp now();

/// Formats as `YYYY-MM-DDTHH:MM:SS.ffffffZ` (always UTC, always six fraction digits).
std::string format_timestamp(timestamp t);

/// Writes the same 27 characters into `out` (no terminator); returns the count written.
std::size_t format_timestamp(timestamp t, char (&out)[27]);

/// Parses RFC 3339: `Z` or a `+hh:mm`/`-hh:mm` offset, optional fraction (more than six
/// digits are truncated). Returns nothing when the text is not a valid timestamp.
std::optional<timestamp> parse_timestamp(std::string_view text);

} // namespace rtd::protocol
