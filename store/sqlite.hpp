// A thin RAII layer over the SQLite C API, internal to the store. Failures throw
// sqlite::failure; history_db turns them into store::error at its API, so no exception
// leaves the store.
#pragma once

#include "store/result.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rtd::store::sqlite {

/// An SQLite call failed with `code` (an extended result code).
class failure : public std::runtime_error {
public:
  failure(int code, const std::string& message) : std::runtime_error(message), code_(code) {}

  int code() const { return code_; }

private:
  int code_;
};

/// Throws a failure for `rc` with the connection's message, prefixed by `what` unless empty.
[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what);

/// The store's error for a failure: disk full, read-only and I/O errors are `degraded`.
error to_error(const failure& f, std::string_view what);

/// A text value bound as a BLOB.
struct blob {
  std::string_view bytes;
};

struct connection_closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};

/// One open database connection.
using connection = std::unique_ptr<sqlite3, connection_closer>;

/// Runs `sql` (several statements, no results), throwing on failure.
void exec(sqlite3* db, const char* sql);

/// A prepared statement, kept for the life of its owner. Each use binds every parameter, and
/// the statement is reset when the use ends, so no read transaction stays open.
class statement {
public:
  statement(sqlite3* db, const char* sql);

  /// The rows of one execution; resets the statement when destroyed.
  class rows {
  public:
    explicit rows(statement& s) : s_(&s) {}
    rows(const rows&) = delete;
    rows& operator=(const rows&) = delete;
    ~rows() { sqlite3_reset(s_->stmt_.get()); }

    /// Steps to the next row; false when there is none.
    bool next();

    bool is_null(int col) const { return sqlite3_column_type(raw(), col) == SQLITE_NULL; }
    std::int64_t int64(int col) const { return sqlite3_column_int64(raw(), col); }
    std::string text(int col) const;
    /// A BLOB or text column, valid until the next step.
    std::string_view bytes(int col) const;

  private:
    sqlite3_stmt* raw() const { return s_->stmt_.get(); }
    statement* s_;
  };

  /// Binds `args` to ?1, ?2... and returns the rows to step through.
  template <class... Ts> rows query(const Ts&... args) {
    int i = 0;
    (bind(++i, args), ...);
    return rows{*this};
  }

  /// Runs to completion with `args`; returns the number of rows changed.
  template <class... Ts> int run(const Ts&... args) {
    auto r = query(args...);
    while (r.next()) {
    }
    return sqlite3_changes(db_);
  }

private:
  void bind(int i, std::int64_t v);
  void bind(int i, std::uint64_t v);
  void bind(int i, std::uint32_t v) { bind(i, static_cast<std::int64_t>(v)); }
  void bind(int i, std::string_view v);
  void bind(int i, const std::string& v) { bind(i, std::string_view{v}); }
  void bind(int i, blob v);
  void check(int rc);

  struct finalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
  };
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, finalizer> stmt_;
};

/// BEGIN IMMEDIATE on construction; rolls back on destruction unless committed.
class transaction {
public:
  explicit transaction(sqlite3* db);
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  ~transaction();

  void commit();

private:
  sqlite3* db_;
  bool done_ = false;
};

} // namespace rtd::store::sqlite
