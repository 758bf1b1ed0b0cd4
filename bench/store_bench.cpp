// Throughput of the history store: N publications of S bytes written in batches of B
// (history_db::write_batch), then the same publications appended to a crash journal, and
// read back in pages of 100 (after). Usage: store_bench [N [B [S [dir]]]]; without a
// directory it uses and removes a temporary one.
#include "store/crash_journal.hpp"
#include "store/history_db.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

using namespace rtd::store;
using bench_clock = std::chrono::steady_clock;

namespace {

double seconds_since(bench_clock::time_point start) {
  return std::chrono::duration<double>(bench_clock::now() - start).count();
}

void report(const char* what, std::uint64_t n, std::size_t size, double s) {
  std::printf("%-28s %9llu in %7.3f s: %12.0f /s (%.1f MB/s)\n", what,
              static_cast<unsigned long long>(n), s, n / s, n * size / s / 1e6);
}

int fail(const error& e) {
  std::fprintf(stderr, "store_bench: %s\n", e.message.c_str());
  return 1;
}

} // namespace

int main(int argc, char** argv) {
  std::uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200'000;
  std::size_t batch_size = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 500;
  std::size_t size = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 300;
  bool temporary = argc <= 4;
  std::string dir = temporary ? (std::filesystem::temp_directory_path() /
                                 ("rtd-store-bench-" + std::to_string(::getpid())))
                                    .string()
                              : argv[4];
  if (n == 0 || batch_size == 0) {
    std::fprintf(stderr, "usage: store_bench [N [B [S [dir]]]]\n");
    return 2;
  }
  auto db = history_db::open(dir);
  if (!db)
    return fail(db.failure());
  std::printf("store_bench: %llu publications of %zu bytes, batches of %zu, in %s\n",
              static_cast<unsigned long long>(n), size, batch_size, db->path().c_str());

  auto frame = shared_text::copy_of(std::string(size, 'x'));
  std::vector<publication> batch;
  auto start = bench_clock::now();
  for (std::uint64_t seq = 1; seq <= n; ++seq) {
    batch.push_back({"market_data", "bench", seq, static_cast<std::int64_t>(seq), frame});
    if (batch.size() == batch_size || seq == n) {
      if (auto s = db->write_batch(batch); !s)
        return fail(s.failure());
      batch.clear();
    }
  }
  report("write_batch publications", n, size, seconds_since(start));

  auto journal = crash_journal::open(dir + "/market_data.journal", 4 << 20);
  if (!journal)
    return fail(journal.failure());
  start = bench_clock::now();
  for (std::uint64_t seq = 1; seq <= n; ++seq)
    journal->append("market_data", "bench", seq, static_cast<std::int64_t>(seq), frame.view());
  report("crash journal appends", n, size, seconds_since(start));

  start = bench_clock::now();
  std::uint64_t read = 0;
  for (std::uint64_t since = 0;;) {
    auto p = db->after("market_data", "bench", since, 100);
    if (!p)
      return fail(p.failure());
    read += p->items.size();
    if (!p->has_more)
      break;
    since = p->items.back().seq;
  }
  report("after() reads, pages of 100", read, size, seconds_since(start));

  if (temporary)
    std::filesystem::remove_all(dir);
  return 0;
}
