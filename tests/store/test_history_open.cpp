#include "store/history_db.hpp"
#include "tests/store/support.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

using namespace rtd::store;
using rtd::store::test::read_file;
using rtd::store::test::temp_dir;

namespace {

void write_file(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream{p, std::ios::binary | std::ios::trunc} << bytes;
}

/// Runs `sql` on the file with a plain SQLite connection, as an operator's shell would.
void run_sql(const std::filesystem::path& file, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

/// The first column of the first row `sql` returns, read with a plain SQLite connection.
std::int64_t first_int(const std::filesystem::path& file, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK);
  std::int64_t value = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

/// Opens `dir` and returns "ok" or the error's code and message.
std::string try_open(const std::string& dir) {
  auto db = history_db::open(dir);
  if (db)
    return "ok";
  return std::to_string(static_cast<int>(db.failure().code)) + " " + db.failure().message;
}

std::string not_writable_prefix() {
  return std::to_string(static_cast<int>(errc::not_writable)) + " ";
}

} // namespace

TEST_CASE("open creates the directory and the database, and opens it again") {
  temp_dir t;
  auto dir = t.path() / "a" / "b";
  {
    auto db = history_db::open(dir.string());
    REQUIRE(db);
    CHECK(db->path() == (dir / "history.sqlite3").string());
    CHECK(std::filesystem::exists(dir / "history.sqlite3"));
    CHECK(db->put_state("k", "v"));
  }
  auto again = history_db::open(dir.string());
  REQUIRE(again);
  CHECK(again->get_state("k")->value() == "v");
}

TEST_CASE("a file that is not a database is refused and left as it was") {
  temp_dir t;
  auto file = t.path() / "history.sqlite3";
  std::string garbage(8192, 'x');
  write_file(file, garbage);
  auto db = history_db::open(t.str());
  REQUIRE_FALSE(db);
  CHECK(db.failure().code == errc::corrupt);
  CHECK(db.failure().message.find(file.string()) != std::string::npos);
  CHECK(db.failure().message.find("move it away") != std::string::npos);
  CHECK(db.failure().message.find("restore a backup") != std::string::npos);
  CHECK(read_file(file) == garbage);
}

TEST_CASE("a damaged database is refused and left as it was") {
  temp_dir t;
  auto file = t.path() / "history.sqlite3";
  {
    auto db = history_db::open(t.str());
    REQUIRE(db);
    REQUIRE(db->write_batch(test::make_batch("market_data", "e1", 1, 2000, 1000, 200)));
  }
  // Overwrites pages in the middle of the file (the header and schema page stay sound).
  auto bytes = read_file(file);
  REQUIRE(bytes.size() > 16 * 4096);
  std::fill(bytes.begin() + 8 * 4096, bytes.begin() + 12 * 4096, '\xa5');
  write_file(file, bytes);

  auto db = history_db::open(t.str());
  REQUIRE_FALSE(db);
  CHECK(db.failure().code == errc::corrupt);
  CHECK(db.failure().message.find(file.string()) != std::string::npos);
  CHECK(read_file(file) == bytes);
}

TEST_CASE("without the check at open, a damaged page is reported when read") {
  temp_dir t;
  auto file = t.path() / "history.sqlite3";
  {
    auto db = history_db::open(t.str());
    REQUIRE(db);
    REQUIRE(db->write_batch(test::make_batch("market_data", "e1", 1, 2000, 1000, 200)));
  }
  // A page amid the publications, away from the first and last rows that open reads.
  auto bytes = read_file(file);
  const std::size_t page = (static_cast<unsigned char>(bytes[16]) << 8) |
                           static_cast<unsigned char>(bytes[17]); // the header's page size
  const std::size_t pages = bytes.size() / page;
  REQUIRE(pages > 16);
  std::fill(bytes.begin() + pages / 2 * page, bytes.begin() + (pages / 2 + 1) * page, '\xa5');
  write_file(file, bytes);
  history_options options;
  options.check_on_open = false;
  auto db = history_db::open(t.str(), options);
  REQUIRE(db);
  auto rows = db->after("market_data", "e1", 0, 5000);
  REQUIRE_FALSE(rows);
  CHECK(rows.failure().code == errc::corrupt);
  CHECK(rows.failure().message.find("after on " + file.string()) != std::string::npos);
}

TEST_CASE("another application's database is refused") {
  temp_dir t;
  run_sql(t.path() / "history.sqlite3", "CREATE TABLE customers (name TEXT)");
  auto db = history_db::open(t.str());
  REQUIRE_FALSE(db);
  CHECK(db.failure().code == errc::corrupt);
  CHECK(db.failure().message.find("not an rtd history") != std::string::npos);
}

TEST_CASE("a database of a newer schema is refused") {
  temp_dir t;
  REQUIRE(history_db::open(t.str()));
  run_sql(t.path() / "history.sqlite3", "UPDATE meta SET value = 3 WHERE name = 'schema_version'");
  auto db = history_db::open(t.str());
  REQUIRE_FALSE(db);
  CHECK(db.failure().code == errc::newer_schema);
  CHECK(db.failure().message.find("schema version 3, newer than this rtd's 2") !=
        std::string::npos);
}

// Version 1 kept a row per publication; a file of it is rewritten as segments when opened.
TEST_CASE("a version 1 file is migrated with everything it held") {
  temp_dir t;
  auto file = t.path() / "history.sqlite3";
  REQUIRE(history_db::open(t.str()));
  // Today's file taken back to version 1: its publications table instead of segments.
  run_sql(file, R"(
DROP TABLE segments;
ALTER TABLE epochs DROP COLUMN first_seq;
CREATE TABLE publications (
  channel TEXT NOT NULL, epoch TEXT NOT NULL, seq INTEGER NOT NULL,
  time_us INTEGER NOT NULL, frame BLOB NOT NULL,
  PRIMARY KEY (channel, epoch, seq)) WITHOUT ROWID;
CREATE INDEX publications_by_time ON publications (channel, epoch, time_us);
UPDATE meta SET value = 1 WHERE name = 'schema_version';
WITH RECURSIVE n(seq) AS (SELECT 3 UNION ALL SELECT seq + 1 FROM n WHERE seq < 600)
  INSERT INTO publications SELECT 'market_data', 'e1', seq, seq * 1000, CAST('f' || seq AS BLOB)
  FROM n;
INSERT INTO publications VALUES ('market_data', 'e0', 1, 1000, 'old1'), ('market_data', 'e0', 2, 2000, 'old2');
INSERT INTO epochs SELECT channel, epoch, CASE epoch WHEN 'e0' THEN 1 ELSE 2 END, count(*),
  sum(length(frame)) FROM publications GROUP BY channel, epoch;
INSERT INTO channel_heads VALUES ('market_data', 'e1', 600);
)");
  {
    auto db = history_db::open(t.str());
    REQUIRE(db);
    CHECK(db->head("market_data")->epoch == "e1");
    CHECK(db->head("market_data")->seq == 600);
    CHECK(db->usage("market_data").rows == 600);
    auto page = *db->after("market_data", "e1", 0, 1000);
    REQUIRE(page.items.size() == 598);
    CHECK(page.items.front().seq == 3);
    CHECK(page.items.front().frame == "f3");
    CHECK(page.items.back().seq == 600);
    CHECK(page.items.back().time_us == 600'000);
    CHECK(test::seqs(*db->newest("market_data", "e0", 5)) == std::vector<std::uint64_t>{1, 2});
    CHECK(*db->covers("market_data", "e1", 2));
    CHECK_FALSE(*db->covers("market_data", "e1", 1));
    REQUIRE(db->write_batch(test::make_batch("market_data", "e1", 601, 610)));
  }
  CHECK(first_int(file, "SELECT value FROM meta WHERE name = 'schema_version'") == 2);
  CHECK(first_int(file, "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'publications%'") == 0);
  auto db = history_db::open(t.str());
  REQUIRE(db);
  CHECK(db->usage("market_data").rows == 610);
}

TEST_CASE("a directory that cannot be created is refused") {
  temp_dir t;
  write_file(t.path() / "file", "not a directory");
  auto db = history_db::open((t.path() / "file" / "history").string());
  REQUIRE_FALSE(db);
  CHECK(db.failure().code == errc::not_writable);
  CHECK(db.failure().message.find("cannot create the history directory") != std::string::npos);
}

// Root ignores permissions, so the opening runs in a child without root's privileges.
TEST_CASE("a directory that is not writable is refused") {
  temp_dir t;
  auto dir = t.path() / "read-only";
  std::filesystem::create_directory(dir);
  REQUIRE(::chmod(dir.c_str(), 0555) == 0);
  auto outcome = test::run_unprivileged([&] { return try_open(dir.string()); });
  CHECK(outcome.rfind(not_writable_prefix(), 0) == 0);
  CHECK(outcome.find((dir / "history.sqlite3").string()) != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "history.sqlite3"));
}

TEST_CASE("a database file that is not writable is refused") {
  temp_dir t;
  REQUIRE(history_db::open(t.str()));
  auto file = t.path() / "history.sqlite3";
  REQUIRE(::chmod(file.c_str(), 0444) == 0);
  auto outcome = test::run_unprivileged([&] { return try_open(t.str()); });
  CHECK(outcome.rfind(not_writable_prefix(), 0) == 0);
  CHECK(outcome.find("read-only") != std::string::npos);
}
