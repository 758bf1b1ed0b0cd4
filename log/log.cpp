#include "log/log.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>

namespace rtd::log {

namespace {

format current = format::text;
std::string node_name;

/// RFC 3339 UTC with microseconds, as the protocol's timestamps.
std::string now_utc() {
  auto now = std::chrono::system_clock::now();
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[64]; // ample for any int the fields may hold
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(us % 1000000));
  return text;
}

void put(rapidjson::Writer<rapidjson::StringBuffer>& w, std::string_view key,
         std::string_view value) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

std::string json_line(std::string_view level, std::string_view event, std::string_view message,
                      const std::vector<field>& fields) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w{buffer};
  w.StartObject();
  put(w, "time", now_utc());
  put(w, "level", level);
  put(w, "node", node_name);
  put(w, "event", event);
  put(w, "message", message);
  for (const auto& f : fields)
    put(w, f.key, f.value);
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

std::string text_line(std::string_view event, std::string_view message,
                      const std::vector<field>& fields) {
  std::string line{event};
  line.append(": ").append(message);
  for (const auto& f : fields)
    line.append(" ").append(f.key).append("=").append(f.value);
  return line;
}

} // namespace

void configure(format f, spdlog::level::level_enum level, std::string node) {
  current = f;
  node_name = std::move(node);
  spdlog::set_level(level);
  // JSON lines carry their own time and level.
  if (f == format::json)
    spdlog::set_pattern("%v");
}

void write(spdlog::level::level_enum level, std::string_view event, std::string_view message,
           const std::vector<field>& fields) {
  if (!spdlog::should_log(level))
    return;
  if (current == format::json) {
    auto name = spdlog::level::to_string_view(level);
    spdlog::log(level, "{}", json_line({name.data(), name.size()}, event, message, fields));
  } else {
    spdlog::log(level, "{}", text_line(event, message, fields));
  }
}

void announce(std::string_view event, std::string_view message) {
  if (current == format::json)
    std::cout << json_line("info", event, message, {}) << std::endl;
  else
    std::cout << message << std::endl;
}

} // namespace rtd::log
