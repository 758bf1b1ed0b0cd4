// Writes that fail (read-only, full disk, I/O error) report `degraded`, change nothing, and
// succeed when retried with the same batch once the cause is gone.
#include "store/history_db.hpp"
#include "tests/store/fault_vfs.hpp"
#include "tests/store/support.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

using namespace rtd::store;
using rtd::store::test::make_batch;
using rtd::store::test::seqs;
using rtd::store::test::temp_dir;
using rtd::store::test::write_fault;

namespace {

history_db open_faulty(const temp_dir& t) {
  rtd::store::test::set_write_fault(0);
  history_options options;
  options.vfs = rtd::store::test::fault_vfs_name;
  auto db = history_db::open(t.str(), options);
  REQUIRE(db);
  return std::move(db).value();
}

void check_degraded_then_retry(int code, const char* reason) {
  temp_dir t;
  auto db = open_faulty(t);
  REQUIRE(db.write_batch(make_batch("market_data", "e1", 1, 100)));
  auto batch = make_batch("market_data", "e1", 101, 600, 1000, 300);
  {
    write_fault fault{code};
    auto s = db.write_batch(batch);
    REQUIRE_FALSE(s);
    CHECK(s.failure().code == errc::degraded);
    CHECK(s.failure().message.find("write_batch on " + db.path()) != std::string::npos);
    CHECK(s.failure().message.find(reason) != std::string::npos);
    // Nothing of the batch is kept, and reads still work.
    CHECK(db.head("market_data")->seq == 100);
    CHECK(db.usage("market_data").rows == 100);
    CHECK(seqs(*db.newest("market_data", "e1", 1)) == std::vector<std::uint64_t>{100});
    CHECK_FALSE(db.put_result("k", "v", 0));
    CHECK_FALSE(db.put_state("k", "v"));
  }
  REQUIRE(db.write_batch(batch));
  CHECK(db.head("market_data")->seq == 600);
  CHECK(db.usage("market_data").rows == 600);
  CHECK(*db.covers("market_data", "e1", 0));
  CHECK(db.put_state("k", "v"));
}

} // namespace

TEST_CASE("a read-only file degrades writes until it is writable again") {
  check_degraded_then_retry(SQLITE_READONLY, "readonly");
}

TEST_CASE("a full disk degrades writes until there is room again") {
  check_degraded_then_retry(SQLITE_FULL, "full");
}

TEST_CASE("an I/O error degrades writes until the device recovers") {
  check_degraded_then_retry(SQLITE_IOERR_WRITE, "I/O error");
}

TEST_CASE("the file size cap degrades writes until retention frees room") {
  temp_dir t;
  history_options options;
  options.max_file_bytes = 1 << 20;
  auto opened = history_db::open(t.str(), options);
  REQUIRE(opened);
  auto& db = *opened;
  std::uint64_t seq = 0;
  status s;
  while (s && seq < 100'000) {
    s = db.write_batch(make_batch("market_data", "e1", seq + 1, seq + 100, 1000, 1000));
    if (s)
      seq += 100;
  }
  REQUIRE_FALSE(s);
  CHECK(s.failure().code == errc::degraded);
  CHECK(s.failure().message.find("full") != std::string::npos);
  CHECK(db.head("market_data")->seq == seq);

  retention_policy policy;
  policy.max_rows = seq / 2;
  REQUIRE(db.apply_retention("market_data", policy, 0));
  REQUIRE(db.write_batch(make_batch("market_data", "e1", seq + 1, seq + 100, 1000, 1000)));
  CHECK(db.head("market_data")->seq == seq + 100);
}
