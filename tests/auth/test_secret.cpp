#include "auth/secret.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <sys/stat.h>

using namespace rtd::auth;
namespace fs = std::filesystem;

namespace {

const std::string good(40, 'k');

/// A fresh directory for one test's files, removed afterwards.
class scratch_dir {
public:
  scratch_dir() {
    std::string pattern = (fs::temp_directory_path() / "rtd-secret-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~scratch_dir() { fs::remove_all(path_); }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;

  /// Writes `content` to a file with permissions `mode`; returns its path.
  std::string file(const std::string& content, mode_t mode = 0600) const {
    auto path = (path_ / "secret").string();
    std::ofstream{path, std::ios::binary | std::ios::trunc} << content;
    REQUIRE(::chmod(path.c_str(), mode) == 0);
    return path;
  }
  std::string path() const { return path_.string(); }

private:
  fs::path path_;
};

/// Sets RTD_JWT_SECRET (or unsets it, for nullptr) for one test.
class secret_env {
public:
  explicit secret_env(const char* value) {
    if (value)
      ::setenv(secret_env_var, value, 1);
    else
      ::unsetenv(secret_env_var);
  }
  ~secret_env() { ::unsetenv(secret_env_var); }
  secret_env(const secret_env&) = delete;
  secret_env& operator=(const secret_env&) = delete;
};

std::string value(const secret_result& r) {
  auto* s = std::get_if<std::string>(&r);
  return s ? *s : "error: " + std::get<secret_error>(r).message;
}

std::string error(const secret_result& r) {
  auto* e = std::get_if<secret_error>(&r);
  return e ? e->message : "loaded: " + std::get<std::string>(r);
}

} // namespace

TEST_CASE("a secret file loses its trailing line breaks and nothing else") {
  scratch_dir dir;
  CHECK(value(read_secret_file(dir.file(good))) == good);
  CHECK(value(read_secret_file(dir.file(good + "\n"))) == good);
  CHECK(value(read_secret_file(dir.file(good + "\r\n\n"))) == good);
  CHECK(value(read_secret_file(dir.file(" " + good + " \n"))) == " " + good + " ");
  CHECK(value(read_secret_file(dir.file("line\n" + good))) == "line\n" + good);
  CHECK(value(read_secret_file(dir.file(good, 0400))) == good);
}

TEST_CASE("a secret file that group or others can read or write is refused") {
  scratch_dir dir;
  for (mode_t mode : {0640, 0620, 0604, 0602, 0644}) {
    auto message = error(read_secret_file(dir.file(good, mode)));
    CHECK(message.find("readable or writable by group or others") != std::string::npos);
    CHECK(message.find("chmod 600") != std::string::npos);
  }
  CHECK(error(read_secret_file(dir.file(good, 0644))).find("(mode 0644)") != std::string::npos);
}

TEST_CASE("a secret must be 32 to 4096 bytes") {
  scratch_dir dir;
  CHECK(error(read_secret_file(dir.file(""))).find("is empty") != std::string::npos);
  CHECK(error(read_secret_file(dir.file("\n"))).find("is empty") != std::string::npos);
  auto short_one = error(read_secret_file(dir.file(std::string(31, 'k'))));
  CHECK(short_one.find("is 31 bytes; an HS256 secret needs at least 32") != std::string::npos);
  CHECK(value(read_secret_file(dir.file(std::string(32, 'k')))) == std::string(32, 'k'));
  auto longest = std::string(4096, 'k');
  CHECK(value(read_secret_file(dir.file(longest + "\r\n"))) == longest);
  CHECK(error(read_secret_file(dir.file(longest + "k"))).find("is longer than 4096 bytes") !=
        std::string::npos);
  CHECK(error(read_secret_file(dir.file(longest + "kkk"))).find("is larger than 4098 bytes") !=
        std::string::npos);
}

TEST_CASE("an unreadable secret path says why") {
  scratch_dir dir;
  auto missing = error(read_secret_file(dir.path() + "/absent"));
  CHECK(missing.find("jwt secret file " + dir.path() + "/absent cannot be opened") == 0);
  CHECK(missing.find("No such file") != std::string::npos);
  CHECK(error(read_secret_file(dir.path())).find("is not a regular file") != std::string::npos);
  auto fifo = dir.path() + "/fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(error(read_secret_file(fifo)).find("is not a regular file") != std::string::npos);
}

TEST_CASE("read_private_file: any content up to its bound, under the same mode rules") {
  scratch_dir dir;
  const std::string what = "redis password file";
  CHECK(value(read_private_file(dir.file("pw\n"), what, 16)) == "pw"); // no HS256 minimum
  CHECK(value(read_private_file(dir.file(""), what, 16)).empty());
  CHECK(value(read_private_file(dir.file(std::string(16, 'p') + "\r\n"), what, 16)) ==
        std::string(16, 'p'));
  CHECK(error(read_private_file(dir.file(std::string(17, 'p')), what, 16))
            .find("is longer than 16 bytes") != std::string::npos);
  auto larger = error(read_private_file(dir.file(std::string(19, 'p')), what, 16));
  CHECK(larger.find("redis password file " + dir.path()) == 0);
  CHECK(larger.find("is larger than 18 bytes") != std::string::npos);
  CHECK(error(read_private_file(dir.file("pw", 0640), what, 16))
            .find("readable or writable by group or others (mode 0640)") != std::string::npos);
}

TEST_CASE("load_secret takes the file when given, else RTD_JWT_SECRET") {
  scratch_dir dir;
  std::string from_env(33, 'e');
  secret_env env{from_env.c_str()};
  CHECK(value(load_secret(dir.file(good))) == good);
  CHECK(value(load_secret(std::nullopt)) == from_env);
}

TEST_CASE("RTD_JWT_SECRET follows the same rules, named in the message") {
  {
    secret_env env{"too short"};
    CHECK(error(load_secret(std::nullopt)) ==
          "RTD_JWT_SECRET is 9 bytes; an HS256 secret needs at least 32");
  }
  {
    secret_env env{""};
    CHECK(error(load_secret(std::nullopt)) == "RTD_JWT_SECRET is empty");
  }
  secret_env env{nullptr};
  CHECK(error(load_secret(std::nullopt)) ==
        "no jwt secret: give --jwt-secret-file or set RTD_JWT_SECRET");
}
