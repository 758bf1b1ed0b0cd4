// The stored publications (in segments, store/segment.hpp) and what the store keeps in
// memory about them: each channel's head and, per epoch, the rows, bytes and seq range kept,
// so that retention and covers() are decided without a query when there is nothing to do.
// Internal to history_db: its operations throw sqlite::failure, and the memory changes only
// after a commit.
#pragma once

#include "store/sqlite.hpp"
#include "store/types.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtd::store {

class publication_log {
public:
  /// Prepares the statements and loads the heads and per-epoch figures.
  explicit publication_log(sqlite3* db);

  void write_batch(const std::vector<publication>& batch, const retention_policies& retention,
                   std::int64_t now_us);

  std::optional<channel_head> head(std::string_view channel) const;
  store::usage usage(std::string_view channel) const;

  page after(std::string_view channel, std::string_view epoch, std::uint64_t since_seq,
             std::uint32_t limit);
  page newest(std::string_view channel, std::string_view epoch, std::uint32_t limit);
  page between(std::string_view channel, std::string_view epoch, std::int64_t from_us,
               std::int64_t to_us, std::uint32_t limit, std::optional<std::uint64_t> since_seq);
  bool covers(std::string_view channel, std::string_view epoch, std::uint64_t since_seq);

  std::uint64_t apply_retention(std::string_view channel, const retention_policy& policy,
                                std::int64_t now_us);

private:
  /// What one epoch of a channel has stored.
  struct epoch_stats {
    std::string epoch;
    std::int64_t ordinal = 0; ///< order in which the channel's epochs started
    std::uint64_t rows = 0;
    std::uint64_t bytes = 0;
    std::uint64_t first_seq = 0; ///< lowest seq kept, when rows > 0; a segment's records
                                 ///< below it are removed ones
    std::uint64_t last_seq = 0;  ///< highest seq kept, when rows > 0
    std::int64_t oldest_us = 0;  ///< smallest time_us kept, when rows > 0
    bool dirty = false;          ///< changed since its row in `epochs` was written
  };

  struct channel_stats {
    channel_head head;
    std::vector<epoch_stats> epochs; ///< oldest first; the last is the head's. Never erased,
                                     ///< so an old epoch's late rows cannot pass for a new one
    epoch_stats* find(std::string_view epoch);
    const epoch_stats* find(std::string_view epoch) const;
    store::usage total() const;
  };

  using stats_map = std::map<std::string, channel_stats, std::less<>>;

  const channel_stats* find(std::string_view channel) const;
  /// The epoch's figures, or null when `channel` never stored `epoch`.
  const epoch_stats* find(std::string_view channel, std::string_view epoch) const;
  void load();
  /// Re-reads the highest seq and the oldest time kept of `e` (rows and first_seq known).
  void refresh(std::string_view channel, epoch_stats& e);
  /// Reads `rows` (of segment bodies, newest first when `descending`) into a page of the
  /// records kept (seq >= `first_seq`) that `keep` accepts: limit + 1 at most.
  template <class Keep>
  page read_page(sqlite::statement::rows rows, std::uint32_t limit, bool descending,
                 std::uint64_t first_seq, Keep keep);
  /// Removes `e`'s oldest records while `take` accepts them; returns how many.
  template <class Take>
  std::uint64_t remove_oldest(std::string_view channel, epoch_stats& e, Take take);
  /// A retention policy at one moment.
  struct bounds {
    bounds(const retention_policy& policy, std::int64_t now_us);
    /// Decided from memory: whether `c` holds anything the bounds exclude.
    bool exceeded_by(const channel_stats& c) const;

    std::uint64_t max_rows;
    std::uint64_t max_bytes;
    std::int64_t oldest_allowed_us;
  };

  /// Deletes the channel's oldest rows until `b` holds, within the caller's transaction.
  std::uint64_t trim(std::string_view channel, channel_stats& c, const bounds& b);
  std::uint64_t trim_age(std::string_view channel, channel_stats& c, std::int64_t cutoff_us);
  std::uint64_t trim_size(std::string_view channel, channel_stats& c, std::uint64_t max_rows,
                          std::uint64_t max_bytes);
  void save(std::string_view channel, channel_stats& c);

  sqlite3* db_;
  stats_map stats_;

  sqlite::statement insert_;
  sqlite::statement save_head_;
  sqlite::statement save_epoch_;
  sqlite::statement last_seq_;
  sqlite::statement oldest_after_;
  sqlite::statement oldest_first_;
  sqlite::statement after_;
  sqlite::statement newest_;
  sqlite::statement between_after_;
  sqlite::statement between_newest_;
  sqlite::statement count_after_;
  sqlite::statement containing_;
  sqlite::statement age_segment_;
  sqlite::statement delete_through_;
};

} // namespace rtd::store
