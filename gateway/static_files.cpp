#include "gateway/static_files.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

namespace rtd {

namespace {

constexpr std::string_view index_file = "realtime_dashboard.html";

std::string_view content_type_of(std::string_view extension) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> types{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".png", "image/png"},
      {".svg", "image/svg+xml"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
  }};
  for (const auto& [ext, type] : types)
    if (ext == extension)
      return type;
  return "application/octet-stream";
}

/// Only plain names: no "..", no hidden files, nothing a shell or the OS would read specially.
bool safe_relative_path(std::string_view path) {
  if (path.empty() || path.find('\0') != std::string_view::npos)
    return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    auto segment = path.substr(start, end == std::string_view::npos ? end : end - start);
    if (segment.empty() || segment.front() == '.' || segment.find('\\') != std::string_view::npos)
      return false;
    if (end == std::string_view::npos)
      break;
    start = end + 1;
  }
  return true;
}

} // namespace

std::optional<static_file> load_static_file(const std::string& root, std::string_view path) {
  if (root.empty() || path.empty() || path.front() != '/')
    return std::nullopt;
  auto relative = path == "/" ? index_file : path.substr(1);
  if (!safe_relative_path(relative))
    return std::nullopt;
  std::filesystem::path file = std::filesystem::path{root} / std::string{relative};
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    return std::nullopt;
  std::ifstream in{file, std::ios::binary};
  if (!in)
    return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  return static_file{content.str(), content_type_of(file.extension().string())};
}

} // namespace rtd
