// The data the history store keeps and returns.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtd::store {

/// Text that lives as long as what holds it: shared, not copied.
class shared_text {
public:
  shared_text() = default;
  /// `text`, which `owner` keeps alive.
  shared_text(std::shared_ptr<const void> owner, std::string_view text)
      : owner_(std::move(owner)), text_(text) {}

  /// A copy of `text` of its own.
  static shared_text copy_of(std::string text) {
    auto kept = std::make_shared<const std::string>(std::move(text));
    return {kept, *kept};
  }

  std::string_view view() const { return text_; }
  std::size_t size() const { return text_.size(); }

private:
  std::shared_ptr<const void> owner_;
  std::string_view text_;
};

/// One publication as the channel made it. The frame's text is the one the channel delivered
/// (its rtd::frame keeps it).
struct publication {
  std::string channel;
  std::string epoch;
  std::uint64_t seq = 0;
  std::int64_t time_us = 0; ///< microseconds since the Unix epoch
  shared_text frame;
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
