// The persisted results cache: bounded in entries and in bytes (key + result). The least
// recently stored entry goes first, not the least recently used: a read never writes, and
// since the ttl runs from the time an entry was stored, the first to go is the nearest to
// expiring anyway. Internal to history_db; throws sqlite::failure.
#pragma once

#include "store/sqlite.hpp"
#include "store/types.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtd::store {

class result_table {
public:
  result_table(sqlite3* db, std::uint64_t max_entries, std::uint64_t max_bytes);

  /// Stores or replaces each entry's key, in order, in one transaction; an entry bigger than
  /// max_bytes on its own is not stored.
  void put(std::vector<stored_result> batch);

  /// Leaves of `batch` (oldest first) what storing it would keep: the newest entries that fit
  /// the bounds together, each key once. The others would be evicted or replaced by newer
  /// ones of the same batch.
  void keep_storable(std::vector<stored_result>& batch) const;

  /// The result, when stored at most `ttl_us` before `now_us`.
  std::optional<std::string> get(std::string_view key, std::int64_t now_us, std::int64_t ttl_us);

  /// Every entry stored at most `ttl_us` before `now_us`, oldest first.
  std::vector<stored_result> fresh(std::int64_t now_us, std::int64_t ttl_us);

  /// Deletes the entries older than the ttl; returns how many.
  std::uint64_t erase_expired(std::int64_t now_us, std::int64_t ttl_us);

  store::usage usage() const { return usage_; }
  store::usage capacity() const { return {max_entries_, max_bytes_}; }

private:
  /// Runs a DELETE ... RETURNING bytes and subtracts what it removed from `u`.
  template <class... Ts> void remove(store::usage& u, sqlite::statement& s, const Ts&... args);

  sqlite3* db_;
  std::uint64_t max_entries_;
  std::uint64_t max_bytes_;
  store::usage usage_; ///< rows and bytes stored, as of the last commit

  sqlite::statement remove_key_;
  sqlite::statement insert_;
  sqlite::statement evict_oldest_;
  sqlite::statement find_;
  sqlite::statement remove_expired_;
  sqlite::statement fresh_;
};

} // namespace rtd::store
