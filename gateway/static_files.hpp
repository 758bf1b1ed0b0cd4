// The dashboard's files, served from one folder on GET. Internal to gateway/.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rtd {

struct static_file {
  std::string content;
  std::string_view content_type;
};

/// Reads the file that URL `path` names below `root` ("/" names realtime_dashboard.html).
/// Nothing for a missing file, a folder, or a path that tries to leave `root`.
std::optional<static_file> load_static_file(const std::string& root, std::string_view path);

} // namespace rtd
