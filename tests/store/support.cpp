#include "tests/store/support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace rtd::store::test {

temp_dir::temp_dir() {
  auto pattern = (std::filesystem::temp_directory_path() / "rtd-store-XXXXXX").string();
  if (!::mkdtemp(pattern.data()))
    throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
  // Readable by everyone, so an unprivileged child can reach what is inside.
  std::filesystem::permissions(
      path_, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                 std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                 std::filesystem::perms::others_exec);
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in{p, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, {}};
}

publication make_publication(const std::string& channel, const std::string& epoch,
                             std::uint64_t seq, std::int64_t time_us, std::size_t size) {
  auto text = channel + "/" + epoch + "/" + std::to_string(seq);
  if (text.size() < size)
    text.resize(size, '.');
  return {channel, epoch, seq, time_us, shared_text::copy_of(std::move(text))};
}

std::vector<publication> make_batch(const std::string& channel, const std::string& epoch,
                                    std::uint64_t first_seq, std::uint64_t last_seq,
                                    std::int64_t step_us, std::size_t size) {
  std::vector<publication> batch;
  for (auto seq = first_seq; seq <= last_seq; ++seq)
    batch.push_back(
        make_publication(channel, epoch, seq, static_cast<std::int64_t>(seq) * step_us, size));
  return batch;
}

std::string run_unprivileged(const std::function<std::string()>& f) {
  int fds[2];
  if (::pipe(fds) != 0)
    throw std::runtime_error("pipe failed");
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    constexpr uid_t nobody = 65534;
    if (::geteuid() == 0 && (::setgid(nobody) != 0 || ::setuid(nobody) != 0))
      ::_exit(2);
    auto out = f();
    bool written = ::write(fds[1], out.data(), out.size()) == static_cast<ssize_t>(out.size());
    ::_exit(written ? 0 : 3);
  }
  ::close(fds[1]);
  std::string out;
  char buf[512];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
    out.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("unprivileged child failed");
  return out;
}

} // namespace rtd::store::test
