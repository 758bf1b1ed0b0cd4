// A segment: the publications of one channel and epoch that one batch writes, stored as one
// row. SQLite's cost is per row (b-tree inserts, index entries, deletes), so a batch of 500
// publications costs a few rows instead of 500. Internal to the store.
#pragma once

#include "store/sqlite.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rtd::store::segment {

/// A segment holds at most this many publications, and closes once its body reaches
/// `max_body_bytes`, so a query for a page reads a few small bodies, never a whole batch.
inline constexpr std::size_t max_rows = 256;
inline constexpr std::size_t max_body_bytes = 64 * 1024;

inline constexpr const char* insert_sql =
    "INSERT INTO segments (channel, epoch, first_seq, last_seq, rows, bytes, min_us, max_us, "
    "body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

/// One publication inside a body; `frame` points into the body.
struct record {
  std::uint64_t seq = 0;
  std::int64_t time_us = 0;
  std::string_view frame;
};

/// A segment being filled, in ascending seq.
class builder {
public:
  void add(std::uint64_t seq, std::int64_t time_us, std::string_view frame);
  bool empty() const { return rows_ == 0; }
  bool full() const { return rows_ >= max_rows || body_.size() >= max_body_bytes; }
  /// Inserts the segment with `insert` (a statement of `insert_sql`) and starts afresh.
  void write(sqlite::statement& insert, std::string_view channel, std::string_view epoch);

private:
  std::string body_;
  std::uint64_t first_seq_ = 0;
  std::uint64_t last_seq_ = 0;
  std::uint64_t rows_ = 0;
  std::uint64_t bytes_ = 0; ///< of frames
  std::int64_t min_us_ = 0;
  std::int64_t max_us_ = 0;
};

/// The records of a body, ascending seq. A body that does not parse is a damaged file:
/// throws sqlite::failure with SQLITE_CORRUPT.
std::vector<record> records(std::string_view body);

} // namespace rtd::store::segment
