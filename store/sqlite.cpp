#include "store/sqlite.hpp"

#include <limits>

namespace rtd::store::sqlite {

void fail(sqlite3* db, int rc, std::string_view what) {
  std::string message{what};
  if (!message.empty())
    message += ": ";
  message += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  throw failure{rc, message};
}

error to_error(const failure& f, std::string_view what) {
  std::string message{what};
  message += ": ";
  message += f.what();
  switch (f.code() & 0xff) {
  case SQLITE_FULL:
  case SQLITE_READONLY:
  case SQLITE_CANTOPEN:
  case SQLITE_IOERR:
  case SQLITE_PERM:
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
  case SQLITE_NOMEM:
    return {errc::degraded, message};
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    return {errc::corrupt, message};
  default:
    return {errc::failed, message};
  }
}

void exec(sqlite3* db, const char* sql) {
  if (int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr); rc != SQLITE_OK)
    fail(db, rc, sql);
}

statement::statement(sqlite3* db, const char* sql) : db_(db) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  stmt_.reset(raw);
  if (rc != SQLITE_OK)
    fail(db, rc, sql);
}

bool statement::rows::next() {
  int rc = sqlite3_step(raw());
  if (rc == SQLITE_ROW)
    return true;
  if (rc != SQLITE_DONE)
    fail(s_->db_, rc, "");
  return false;
}

std::string statement::rows::text(int col) const {
  return std::string{bytes(col)};
}

std::string_view statement::rows::bytes(int col) const {
  auto data = static_cast<const char*>(sqlite3_column_blob(raw(), col));
  auto size = static_cast<std::size_t>(sqlite3_column_bytes(raw(), col));
  return data ? std::string_view{data, size} : std::string_view{};
}

void statement::check(int rc) {
  if (rc != SQLITE_OK)
    fail(db_, rc, "");
}

void statement::bind(int i, std::int64_t v) {
  check(sqlite3_bind_int64(stmt_.get(), i, v));
}

void statement::bind(int i, std::uint64_t v) {
  if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    throw failure{SQLITE_RANGE, "bind: " + std::to_string(v) + " does not fit in INTEGER"};
  bind(i, static_cast<std::int64_t>(v));
}

// SQLITE_STATIC: the caller's text outlives the use, which resets before it returns.
void statement::bind(int i, std::string_view v) {
  check(sqlite3_bind_text64(stmt_.get(), i, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8));
}

void statement::bind(int i, blob v) {
  // A non-null pointer even for an empty blob, so that it is stored as '' and not NULL.
  static const char empty = 0;
  const void* data = v.bytes.empty() ? &empty : v.bytes.data();
  check(sqlite3_bind_blob64(stmt_.get(), i, data, v.bytes.size(), SQLITE_STATIC));
}

// BEGIN and COMMIT run once per batch; parsing them costs about a microsecond.
transaction::transaction(sqlite3* db) : db_(db) {
  exec(db, "BEGIN IMMEDIATE");
}

transaction::~transaction() {
  // A failed statement may have rolled back already (disk full, I/O error).
  if (!done_ && !sqlite3_get_autocommit(db_))
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void transaction::commit() {
  exec(db_, "COMMIT");
  done_ = true;
}

} // namespace rtd::store::sqlite
