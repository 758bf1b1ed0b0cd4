#include "store/schema.hpp"

#include "store/segment.hpp"
#include "store/sqlite.hpp"

#include <algorithm>

namespace rtd::store::schema {

namespace {

// Publications are stored in segments (store/segment.hpp), several to a row; segments keep a
// rowid (their bodies are large), the small tables are WITHOUT ROWID. epochs.first_seq is the
// oldest publication kept: a segment whose older part retention removed keeps its body whole.
const char* const segments_sql = R"(
CREATE TABLE segments (
  channel TEXT NOT NULL, epoch TEXT NOT NULL, first_seq INTEGER NOT NULL,
  last_seq INTEGER NOT NULL, rows INTEGER NOT NULL, bytes INTEGER NOT NULL,
  min_us INTEGER NOT NULL, max_us INTEGER NOT NULL, body BLOB NOT NULL);
CREATE UNIQUE INDEX segments_by_seq ON segments (channel, epoch, first_seq);
CREATE INDEX segments_by_time ON segments (channel, epoch, min_us);
)";

const char* const create_sql = R"(
CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE channel_heads (
  channel TEXT PRIMARY KEY, epoch TEXT NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE epochs (
  channel TEXT NOT NULL, epoch TEXT NOT NULL, ordinal INTEGER NOT NULL,
  rows INTEGER NOT NULL, bytes INTEGER NOT NULL, first_seq INTEGER NOT NULL,
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

void set_version(sqlite3* db) {
  sqlite::statement{db, "INSERT INTO meta (name, value) VALUES ('schema_version', ?1) "
                        "ON CONFLICT (name) DO UPDATE SET value = excluded.value"}
      .run(version);
}

// Version 1 stored one row per publication (table publications). Rewritten as segments in one
// transaction: a failure leaves the file as it was.
void migrate_from_v1(sqlite3* db) {
  sqlite::transaction tx{db};
  sqlite::exec(db, segments_sql);
  sqlite::exec(db, R"(
ALTER TABLE epochs ADD COLUMN first_seq INTEGER NOT NULL DEFAULT 0;
UPDATE epochs SET first_seq = coalesce((SELECT min(seq) FROM publications p
  WHERE p.channel = epochs.channel AND p.epoch = epochs.epoch), 0);
)");
  sqlite::statement insert{db, segment::insert_sql};
  sqlite::statement rows{db, "SELECT channel, epoch, seq, time_us, frame FROM publications "
                             "ORDER BY channel, epoch, seq"};
  std::string channel, epoch;
  segment::builder open;
  for (auto r = rows.query(); r.next();) {
    if (!open.empty() && (open.full() || r.bytes(0) != channel || r.bytes(1) != epoch))
      open.write(insert, channel, epoch);
    if (open.empty()) {
      channel = r.text(0);
      epoch = r.text(1);
    }
    open.add(static_cast<std::uint64_t>(r.int64(2)), r.int64(3), r.bytes(4));
  }
  if (!open.empty())
    open.write(insert, channel, epoch);
  sqlite::exec(db, "DROP TABLE publications");
  set_version(db);
  tx.commit();
}

status create_or_check_schema(sqlite3* db, const std::string& path) {
  if (first_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'meta'") == 0) {
    if (first_int(db, "SELECT count(*) FROM sqlite_schema") != 0)
      return error{errc::corrupt, path + " is an SQLite database but not an rtd history: " +
                                      "move it away or point rtd at another directory"};
    sqlite::transaction tx{db};
    sqlite::exec(db, create_sql);
    sqlite::exec(db, segments_sql);
    set_version(db);
    tx.commit();
    return {};
  }
  auto found = first_int(db, "SELECT value FROM meta WHERE name = 'schema_version'");
  if (found > version)
    return error{errc::newer_schema,
                 path + " has schema version " + std::to_string(found) +
                     ", newer than this rtd's " + std::to_string(version) +
                     ": run a newer rtd, or move the file away to start an empty history"};
  if (found == 1)
    migrate_from_v1(db);
  else if (found != version)
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
  // For a new file only (an existing one keeps its own). A commit writes each page it changes
  // with its own pwrite, and once more at the checkpoint: a history segment takes 4 pages of
  // 16 KiB instead of 16 of 4 KiB, which cut the store's thread by about a fifth in bench's
  // calc50. Larger pages cost more again: each commit also rewrites small rows' pages whole.
  sqlite::exec(db, "PRAGMA page_size = 16384");
  // The first reading statement: garbage fails here with SQLITE_NOTADB.
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
