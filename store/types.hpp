// The data the history store keeps and returns.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rtd::store {

/// One publication as the channel made it. The frame is shared, not copied, with the one the
/// channel delivered (the same type as rtd::frame).
struct publication {
  std::string channel;
  std::string epoch;
  std::uint64_t seq = 0;
  std::int64_t time_us = 0; ///< microseconds since the Unix epoch
  std::shared_ptr<const std::string> frame;
};

/// A publication read back from the store (of the channel and epoch that were asked for).
struct stored_publication {
  std::uint64_t seq = 0;
  std::int64_t time_us = 0;
  std::string frame;
};

/// The answer to a history query: ascending seq, and whether more rows match beyond the limit.
struct page {
  std::vector<stored_publication> items;
  bool has_more = false;
};

/// Where a channel's sequence stands: its newest epoch and the last seq written in it.
struct channel_head {
  std::string epoch;
  std::uint64_t seq = 0;
};

/// What a channel keeps, every epoch together.
struct usage {
  std::uint64_t rows = 0;
  std::uint64_t bytes = 0; ///< sum of the frames' sizes
};

/// A calculation result as the results table keeps it.
struct stored_result {
  std::string key;
  std::string result;
  std::int64_t stored_us = 0; ///< when it was stored, microseconds since the Unix epoch

  /// What it counts against the results cache's byte bound: key and result.
  std::uint64_t bytes() const { return key.size() + result.size(); }
};

/// How much history a channel keeps; each bound is optional, the oldest rows go first.
struct retention_policy {
  std::optional<std::int64_t> max_age_us; ///< rows older than now - max_age_us go
  std::optional<std::uint64_t> max_rows;
  std::optional<std::uint64_t> max_bytes; ///< of frames
};

/// Each channel's retention, by channel name; a channel not named keeps everything.
using retention_policies = std::map<std::string, retention_policy, std::less<>>;

} // namespace rtd::store
