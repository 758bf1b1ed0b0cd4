#include "store/crash_journal.hpp"
#include "tests/store/support.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>

using namespace rtd::store;
using rtd::store::test::read_file;
using rtd::store::test::temp_dir;

namespace {

std::string frame_of(std::uint64_t seq) {
  return "{\"seq\":" + std::to_string(seq) + "}";
}

crash_journal open_journal(const std::string& path, std::size_t capacity = 1 << 16) {
  auto j = crash_journal::open(path, capacity);
  REQUIRE(j);
  return std::move(j).value();
}

void append_range(crash_journal& j, std::uint64_t first, std::uint64_t last) {
  for (auto seq = first; seq <= last; ++seq)
    REQUIRE(j.append("market_data", "e1", seq, static_cast<std::int64_t>(seq) * 10, frame_of(seq)));
}

/// Checks that `found` holds exactly first..last of append_range, in order.
void check_range(const journal_recovery& found, std::uint64_t first, std::uint64_t last) {
  REQUIRE(found.records.size() == last - first + 1);
  for (std::size_t i = 0; i < found.records.size(); ++i) {
    const auto& r = found.records[i];
    CHECK(r.seq == first + i);
    CHECK(r.channel == "market_data");
    CHECK(r.epoch == "e1");
    CHECK(r.time_us == static_cast<std::int64_t>(r.seq) * 10);
    CHECK(r.frame.view() == frame_of(r.seq));
  }
}

/// Size of the record append_range writes for `seq`: header, names, frame, padding.
std::size_t record_size(std::uint64_t seq) {
  return (32 + 11 + 2 + frame_of(seq).size() + 7) / 8 * 8;
}

void overwrite(const std::string& path, off_t at, const std::string& bytes) {
  int fd = ::open(path.c_str(), O_WRONLY);
  REQUIRE(fd >= 0);
  CHECK(::pwrite(fd, bytes.data(), bytes.size(), at) == static_cast<ssize_t>(bytes.size()));
  ::close(fd);
}

} // namespace

TEST_CASE("appended records are recovered, also after a reopen") {
  temp_dir t;
  auto path = (t.path() / "market_data.journal").string();
  {
    auto j = open_journal(path);
    CHECK(j.capacity() == 1 << 16);
    CHECK(j.recover().records.empty());
    append_range(j, 1, 100);
    check_range(j.recover(), 1, 100);
  }
  auto j = open_journal(path);
  auto found = j.recover();
  check_range(found, 1, 100);
  CHECK_FALSE(found.damaged);
}

TEST_CASE("reset empties the journal") {
  temp_dir t;
  auto path = (t.path() / "j").string();
  auto j = open_journal(path);
  append_range(j, 1, 10);
  REQUIRE(j.reset());
  CHECK(j.recover().records.empty());
  append_range(j, 11, 12);
  check_range(j.recover(), 11, 12);
  auto reopened = open_journal(path);
  check_range(reopened.recover(), 11, 12);
}

TEST_CASE("a journal keeps its capacity until reset gives it the new one") {
  temp_dir t;
  auto path = (t.path() / "j").string();
  {
    auto j = open_journal(path, 1 << 16);
    append_range(j, 1, 10);
  }
  auto j = open_journal(path, 8192);
  CHECK(j.capacity() == 1 << 16);
  check_range(j.recover(), 1, 10);
  REQUIRE(j.reset());
  CHECK(j.capacity() == 8192);
  CHECK(j.recover().records.empty());
  CHECK(std::filesystem::file_size(path) == 64 + 8192);
}

TEST_CASE("a record's checksum is zlib's CRC-32 of what follows it") {
  // The file format: journals written by any rtd recover in any other.
  auto crc32 = [](std::string_view bytes) { // bitwise, reflected polynomial 0xEDB88320
    std::uint32_t c = 0xFFFFFFFF;
    for (unsigned char b : bytes) {
      c ^= b;
      for (int k = 0; k < 8; ++k)
        c = (c >> 1) ^ (0xEDB88320 & (0 - (c & 1)));
    }
    return ~c;
  };
  CHECK(crc32("123456789") == 0xCBF43926); // the reference's own check value
  temp_dir t;
  auto path = (t.path() / "j").string();
  {
    auto j = open_journal(path);
    append_range(j, 1, 1);
  }
  auto bytes = read_file(path);
  const std::size_t record = 64;                                    // after the file's header
  const std::size_t checked = 32 + 11 + 2 + frame_of(1).size() - 8; // from seq on, no padding
  std::uint32_t stored = 0;
  std::memcpy(&stored, bytes.data() + record + 4, sizeof stored); // after the tag
  CHECK(stored == crc32(std::string_view{bytes}.substr(record + 8, checked)));
}

TEST_CASE("a corrupted last record is ignored") {
  temp_dir t;
  auto path = (t.path() / "j").string();
  {
    auto j = open_journal(path);
    append_range(j, 1, 20);
  }
  std::size_t last = 0;
  for (std::uint64_t seq = 1; seq < 20; ++seq)
    last += record_size(seq);
  overwrite(path, static_cast<off_t>(64 + last + 50), "#");
  auto found = open_journal(path).recover();
  CHECK(found.damaged);
  check_range(found, 1, 19);
}

TEST_CASE("a journal cut short loses only the record that was cut") {
  temp_dir t;
  auto path = (t.path() / "j").string();
  {
    auto j = open_journal(path);
    append_range(j, 1, 20);
  }
  std::size_t end = 64;
  for (std::uint64_t seq = 1; seq <= 20; ++seq)
    end += record_size(seq);
  std::filesystem::resize_file(path, end - 5);
  auto j = open_journal(path);
  CHECK(std::filesystem::file_size(path) == 64 + (1 << 16));
  auto found = j.recover();
  CHECK(found.damaged);
  check_range(found, 1, 19);
}

TEST_CASE("a full ring drops its oldest records") {
  temp_dir t;
  auto j = open_journal((t.path() / "j").string(), 4096);
  append_range(j, 1, 1000);
  auto found = j.recover();
  CHECK_FALSE(found.damaged);
  REQUIRE_FALSE(found.records.empty());
  auto first = found.records.front().seq;
  check_range(found, first, 1000);
  // Every record that fitted behind the newest ones is still there.
  std::size_t held = 0;
  for (auto seq = first; seq <= 1000; ++seq)
    held += record_size(seq);
  CHECK(held <= 4096);
  CHECK(held + record_size(first - 1) > 4096 - 64);
  auto reopened = open_journal((t.path() / "j").string(), 4096);
  check_range(reopened.recover(), first, 1000);
}

TEST_CASE("a record larger than the ring is skipped") {
  temp_dir t;
  auto j = open_journal((t.path() / "j").string(), 4096);
  append_range(j, 1, 3);
  CHECK_FALSE(j.append("market_data", "e1", 4, 40, std::string(4096, 'x')));
  CHECK(j.append("market_data", "e1", 4, 40, std::string(4096 - 32 - 13, 'x')));
  auto found = j.recover();
  REQUIRE(found.records.size() == 1);
  CHECK(found.records.front().seq == 4);
}

TEST_CASE("a file that is not a journal starts an empty one") {
  temp_dir t;
  auto path = (t.path() / "j").string();
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    std::fputs("garbage that is not a journal header, long enough to be read as one......", f);
    std::fclose(f);
  }
  auto j = open_journal(path, 4096);
  CHECK(j.capacity() == 4096);
  CHECK(j.recover().records.empty());
  append_range(j, 1, 2);
  check_range(j.recover(), 1, 2);
}

TEST_CASE("a capacity below the minimum is refused") {
  temp_dir t;
  auto j = crash_journal::open((t.path() / "j").string(), 1024);
  REQUIRE_FALSE(j);
  CHECK(j.failure().message.find("capacity") != std::string::npos);
}

// The child appends and tells the parent, after each append, how far it got; the parent kills
// it mid-stream. Everything the child reported appended must be in the journal.
TEST_CASE("a process killed with SIGKILL loses nothing it appended") {
  temp_dir t;
  auto path = (t.path() / "j").string();
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    auto j = crash_journal::open(path, 4 << 20);
    for (std::uint64_t seq = 1; j; ++seq) {
      j->append("market_data", "e1", seq, static_cast<std::int64_t>(seq) * 10, frame_of(seq));
      if (::write(fds[1], &seq, sizeof seq) != sizeof seq)
        break;
    }
    ::_exit(1);
  }
  ::close(fds[1]);
  std::uint64_t acknowledged = 0;
  while (acknowledged < 20'000 && ::read(fds[0], &acknowledged, sizeof acknowledged) > 0) {
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(fds[0]);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(acknowledged == 20'000);

  auto found = open_journal(path, 4 << 20).recover();
  CHECK_FALSE(found.damaged);
  REQUIRE(found.records.size() >= acknowledged);
  check_range(found, 1, found.records.size());
}
