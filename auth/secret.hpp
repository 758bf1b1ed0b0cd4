// The HS256 secret: from --jwt-secret-file or the environment variable RTD_JWT_SECRET, never
// from a command-line value (which every local user can read in the process list).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace rtd::auth {

/// RFC 7518 asks for an HS256 key of at least the hash size: 256 bits.
inline constexpr std::size_t min_secret_bytes = 32;
/// Bounds what is read from the file or the environment.
inline constexpr std::size_t max_secret_bytes = 4096;
/// The environment variable read when no secret file is given.
inline constexpr const char* secret_env_var = "RTD_JWT_SECRET";

/// Why no secret could be had, for the operator: names the source and the fix.
struct secret_error {
  std::string message;
};

/// The secret's bytes, or why it was refused.
using secret_result = std::variant<std::string, secret_error>;

/// What is wrong with `secret` as an HS256 key (empty, shorter than min_secret_bytes, longer
/// than max_secret_bytes), or nothing.
std::optional<std::string> secret_problem(std::string_view secret);

/// Reads a file that only its owner may read (a secret, a password) at `path`, trailing CR
/// and LF stripped; `what` names it in messages ("jwt secret file"). Refused: a file that is
/// not a regular file, is readable or writable by group or others, or holds more than
/// `max_bytes` before its line break.
secret_result read_private_file(const std::string& path, std::string_view what,
                                std::size_t max_bytes);

/// Reads the secret from the file at `path`, trailing CR and LF stripped. Refused: a file
/// that is not a regular file, is readable by group or others (an error, not a warning: any
/// reader can issue admin tokens), or whose content has a secret_problem.
secret_result read_secret_file(const std::string& path);

/// The secret from `file_path` when given, otherwise from RTD_JWT_SECRET (taken as it is);
/// an error when neither is set, naming `file_option` as the way to give a file.
secret_result load_secret(const std::optional<std::string>& file_path,
                          std::string_view file_option = "--jwt-secret-file");

} // namespace rtd::auth
