#include "auth/secret.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rtd::auth {

namespace {

/// Closes the descriptor on every path out.
class file_descriptor {
public:
  explicit file_descriptor(int fd) : fd_(fd) {}
  ~file_descriptor() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  file_descriptor(const file_descriptor&) = delete;
  file_descriptor& operator=(const file_descriptor&) = delete;
  int get() const { return fd_; }

private:
  int fd_;
};

secret_error refuse(std::string_view source, std::string_view why) {
  return {std::string{source} + " " + std::string{why}};
}

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

/// A line break at the end comes from editors and `echo`, not from the secret.
void strip_line_breaks(std::string& text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
}

secret_result checked(std::string secret, std::string_view source) {
  if (auto problem = secret_problem(secret))
    return refuse(source, *problem);
  return secret;
}

} // namespace

std::optional<std::string> secret_problem(std::string_view secret) {
  if (secret.empty())
    return "is empty";
  if (secret.size() < min_secret_bytes)
    return "is " + std::to_string(secret.size()) + " bytes; an HS256 secret needs at least " +
           std::to_string(min_secret_bytes);
  if (secret.size() > max_secret_bytes)
    return "is longer than " + std::to_string(max_secret_bytes) + " bytes";
  return std::nullopt;
}

secret_result read_private_file(const std::string& path, std::string_view what,
                                std::size_t max_bytes) {
  std::string source = std::string{what} + " " + path;
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
  file_descriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  if (file.get() < 0)
    return refuse(source, std::string{"cannot be opened: "} + std::strerror(errno));
  // Checked on the open file, so a rename in between cannot swap what is read.
  struct stat info {};
  if (::fstat(file.get(), &info) != 0)
    return refuse(source, std::string{"cannot be examined: "} + std::strerror(errno));
  if (!S_ISREG(info.st_mode))
    return refuse(source, "is not a regular file");
  if ((info.st_mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH)) != 0)
    return refuse(source, "is readable or writable by group or others (mode " +
                              octal_mode(info.st_mode) + "); chmod 600 it");
  // Room for the longest content plus a CRLF, and one byte more to tell a longer file.
  const std::size_t max_file_bytes = max_bytes + 2;
  std::string text(max_file_bytes + 1, '\0');
  std::size_t size = 0;
  while (size < text.size()) {
    auto n = ::read(file.get(), text.data() + size, text.size() - size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return refuse(source, std::string{"cannot be read: "} + std::strerror(errno));
    if (n == 0)
      break;
    size += static_cast<std::size_t>(n);
  }
  if (size > max_file_bytes)
    return refuse(source, "is larger than " + std::to_string(max_file_bytes) + " bytes");
  text.resize(size);
  strip_line_breaks(text);
  if (text.size() > max_bytes)
    return refuse(source, "is longer than " + std::to_string(max_bytes) + " bytes");
  return text;
}

secret_result read_secret_file(const std::string& path) {
  auto text = read_private_file(path, "jwt secret file", max_secret_bytes);
  if (auto secret = std::get_if<std::string>(&text))
    return checked(std::move(*secret), "jwt secret file " + path);
  return text;
}

secret_result load_secret(const std::optional<std::string>& file_path,
                          std::string_view file_option) {
  if (file_path)
    return read_secret_file(*file_path);
  const char* value = std::getenv(secret_env_var);
  if (value == nullptr)
    return secret_error{"no jwt secret: give " + std::string{file_option} + " or set " +
                        secret_env_var};
  return checked(value, secret_env_var);
}

} // namespace rtd::auth
