#include "store/schema.hpp"

#include "store/sqlite.hpp"

#include <algorithm>

namespace rtd::store::schema {

namespace {

// WITHOUT ROWID: publications are looked up by their key only, so the rows live in the key's
// b-tree instead of a rowid table plus an index. Results keep a rowid: their keys may be long.
const char* const create_sql = R"(
CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE publications (
  channel TEXT NOT NULL, epoch TEXT NOT NULL, seq INTEGER NOT NULL,
  time_us INTEGER NOT NULL, frame BLOB NOT NULL,
  PRIMARY KEY (channel, epoch, seq)) WITHOUT ROWID;
CREATE INDEX publications_by_time ON publications (channel, epoch, time_us);
CREATE TABLE channel_heads (
  channel TEXT PRIMARY KEY, epoch TEXT NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE epochs (
  channel TEXT NOT NULL, epoch TEXT NOT NULL, ordinal INTEGER NOT NULL,
  rows INTEGER NOT NULL, bytes INTEGER NOT NULL,
  PRIMARY KEY (channel, epoch)) WITHOUT ROWID;
CREATE TABLE results (
  key TEXT NOT NULL UNIQUE, result TEXT NOT NULL, stored_us INTEGER NOT NULL,
  bytes INTEGER NOT NULL);
CREATE INDEX results_by_age ON results (stored_us);
CREATE TABLE state (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
)";

std::string first_text(sqlite3* db, const char* sql) {
  sqlite::statement s{db, sql};
  auto r = s.query();
  return r.next() ? r.text(0) : std::string{};
}

std::int64_t first_int(sqlite3* db, const char* sql) {
  sqlite::statement s{db, sql};
  auto r = s.query();
  return r.next() ? r.int64(0) : 0;
}

status create_or_check_schema(sqlite3* db, const std::string& path) {
  if (first_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'meta'") == 0) {
    if (first_int(db, "SELECT count(*) FROM sqlite_schema") != 0)
      return error{errc::corrupt, path + " is an SQLite database but not an rtd history: " +
                                      "move it away or point rtd at another directory"};
    sqlite::transaction tx{db};
    sqlite::exec(db, create_sql);
    sqlite::statement{db, "INSERT INTO meta VALUES ('schema_version', ?1)"}.run(version);
    tx.commit();
    return {};
  }
  auto found = first_int(db, "SELECT value FROM meta WHERE name = 'schema_version'");
  if (found > version)
    return error{errc::newer_schema,
                 path + " has schema version " + std::to_string(found) +
                     ", newer than this rtd's " + std::to_string(version) +
                     ": run a newer rtd, or move the file away to start an empty history"};
  if (found != version)
    return damaged(path, "unknown schema version " + std::to_string(found));
  return {};
}

} // namespace

error damaged(const std::string& path, const std::string& why) {
  return {errc::corrupt, "history database " + path + " is damaged (" + why +
                             "): stop rtd, move it away (with its -wal file) or restore a "
                             "backup; rtd then starts an empty history"};
}

status prepare(sqlite3* db, const std::string& path, std::uint64_t max_file_bytes, bool check) {
  // The first statement reads the file: garbage fails here with SQLITE_NOTADB.
  if (auto mode = first_text(db, "PRAGMA journal_mode = WAL"); mode != "wal")
    return error{errc::not_writable, path + " cannot use write-ahead logging (journal mode " +
                                         mode + "): is the directory writable?"};
  sqlite::exec(db, "PRAGMA synchronous = NORMAL");
  if (max_file_bytes > 0) {
    auto pages = max_file_bytes / static_cast<std::uint64_t>(first_int(db, "PRAGMA page_size"));
    sqlite::exec(db, ("PRAGMA max_page_count = " + std::to_string(pages)).c_str());
  }
  if (auto found = check ? first_text(db, "PRAGMA quick_check(1)") : "ok"; found != "ok") {
    std::replace(found.begin(), found.end(), '\n', ' ');
    return damaged(path, "quick_check: " + found);
  }
  return create_or_check_schema(db, path);
}

} // namespace rtd::store::schema
