// The history store's engine: one SQLite connection on <data_dir>/history.sqlite3 holding the
// channels' publications and heads, the persisted results cache and a small key/value state.
// Not thread-safe: one thread at a time (the history_store actor) owns it. No operation
// throws: failures come back as store::error; after a `degraded` one the object stays usable
// and the same call can be retried.
#pragma once

#include "store/result.hpp"
#include "store/types.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtd::store {

struct history_options {
  /// How long a write waits for a lock held by another process (an sqlite3 shell, say).
  int busy_timeout_ms = 2000;
  /// The file never grows past this (0: no cap); writes beyond it fail as `degraded`, as on a
  /// full disk, until retention frees room.
  std::uint64_t max_file_bytes = 0;
  std::uint64_t max_results = 10'000;         ///< entries of the results cache
  std::uint64_t max_result_bytes = 64u << 20; ///< key + result bytes of the results cache
  /// Runs PRAGMA quick_check at open. It reads the whole file: about 0.5 s per 400 MB from
  /// the page cache, 8 s from a cold disk, on the development machine.
  bool check_on_open = true;
  /// The SQLite VFS to open the file with; empty for the default one.
  std::string vfs;
};

class history_db {
public:
  /// Opens or creates `<data_dir>/history.sqlite3`, creating `data_dir` when missing. Refuses
  /// (never deletes nor recreates) a file that is not a sound history database, one with a
  /// newer schema, or a place it cannot write.
  static result<history_db> open(const std::string& data_dir, const history_options& options = {});

  history_db(history_db&&) noexcept;
  history_db& operator=(history_db&&) noexcept;
  ~history_db();

  /// The database file.
  const std::string& path() const;

  /// Stores every publication in one transaction, or none. A publication already stored
  /// (same channel, epoch, seq) is left as it is, so a failed batch can be retried as it was.
  /// The first publication of an epoch the channel never stored makes that epoch its head;
  /// older epochs' rows stay queryable until retention removes them. Each channel the batch
  /// touches then keeps what its policy in `retention` allows, in the same transaction.
  status write_batch(const std::vector<publication>& batch,
                     const retention_policies& retention = {}, std::int64_t now_us = 0);

  /// The channel's newest epoch and the highest seq written in it; nothing for a channel
  /// never written. A restarted channel continues from here.
  std::optional<channel_head> head(std::string_view channel) const;

  /// Rows and frame bytes the channel keeps, every epoch together.
  store::usage usage(std::string_view channel) const;

  /// The oldest `limit` publications with seq > since_seq.
  result<page> after(std::string_view channel, std::string_view epoch, std::uint64_t since_seq,
                     std::uint32_t limit);

  /// The newest `limit` publications (returned in ascending seq).
  result<page> newest(std::string_view channel, std::string_view epoch, std::uint32_t limit);

  /// Publications with from_us <= time_us <= to_us: with since_seq, the oldest `limit` of
  /// those with seq > since_seq; without, the newest `limit`.
  result<page> between(std::string_view channel, std::string_view epoch, std::int64_t from_us,
                       std::int64_t to_us, std::uint32_t limit,
                       std::optional<std::uint64_t> since_seq = std::nullopt);

  /// Whether every seq after since_seq up to the head is stored, so a recovery from since_seq
  /// is gap-free. Only the head's epoch is ever covered.
  result<bool> covers(std::string_view channel, std::string_view epoch, std::uint64_t since_seq);

  /// Deletes the channel's oldest rows until `policy` holds; returns how many went. Decided
  /// from memory, with no query, when nothing is due. The head is kept even with no rows.
  result<std::uint64_t> apply_retention(std::string_view channel, const retention_policy& policy,
                                        std::int64_t now_us);

  /// Stores a calculation result (see result_table.hpp for the bounds and eviction order).
  status put_result(std::string_view key, std::string_view result_json, std::int64_t stored_us);
  /// Several results in one transaction (the store's batches).
  status put_results(std::vector<stored_result> batch);
  /// Drops from `batch` what put_results would not keep (see result_table::keep_storable).
  void keep_storable(std::vector<stored_result>& batch) const;

  /// The result stored under `key` at most `ttl_us` before `now_us`.
  result<std::optional<std::string>> get_result(std::string_view key, std::int64_t now_us,
                                                std::int64_t ttl_us);

  /// Every result stored at most `ttl_us` before `now_us`, oldest first (a restarted node's
  /// results cache).
  result<std::vector<stored_result>> fresh_results(std::int64_t now_us, std::int64_t ttl_us);

  /// Deletes the results older than the ttl; returns how many.
  result<std::uint64_t> erase_expired(std::int64_t now_us, std::int64_t ttl_us);

  /// Entries and key + result bytes of the results cache.
  store::usage results_usage() const;
  /// The most entries and bytes it holds.
  store::usage results_capacity() const;

  /// Stores `value` under `name` (state that must survive a restart).
  status put_state(std::string_view name, std::string_view value);

  /// The value stored under `name`.
  result<std::optional<std::string>> get_state(std::string_view name);

private:
  struct impl;
  explicit history_db(std::unique_ptr<impl> p);

  std::unique_ptr<impl> impl_;
};

} // namespace rtd::store
