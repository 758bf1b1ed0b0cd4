// rtd's log lines: one event per line, named (e.g. "session_closed"), with the ids it is about
// as fields. Text by default ("[time] [level] event: message key=value"); with
// --log-format=json, one JSON object per line: {"time", "level", "node", "event", "message",
// fields...}. Thread-safe (spdlog underneath).
#pragma once

#include <spdlog/common.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace rtd::log {

enum class format { text, json };

/// A value the line is about: session, calculation, channel...
struct field {
  std::string_view key;
  std::string value;
};

/// Sets the format, the level ("trace" .. "off") and the node named in JSON lines; once, at
/// start, before other threads log.
void configure(format f, spdlog::level::level_enum level, std::string node);

/// Logs `event` at `level`.
void write(spdlog::level::level_enum level, std::string_view event, std::string_view message,
           const std::vector<field>& fields);
inline void write(spdlog::level::level_enum level, std::string_view event, std::string_view message,
                  std::initializer_list<field> fields = {}) {
  write(level, event, message, std::vector<field>(fields));
}

inline void info(std::string_view event, std::string_view message,
                 std::initializer_list<field> fields = {}) {
  write(spdlog::level::info, event, message, fields);
}
inline void warn(std::string_view event, std::string_view message,
                 std::initializer_list<field> fields = {}) {
  write(spdlog::level::warn, event, message, fields);
}
inline void error(std::string_view event, std::string_view message,
                  std::initializer_list<field> fields = {}) {
  write(spdlog::level::err, event, message, fields);
}

/// A line written whatever the level (the listening address, which scripts read from stdout).
void announce(std::string_view event, std::string_view message);

} // namespace rtd::log
