// The result cache of completed calculations, bounded in entries and in bytes: the least
// recently used entries give way to new ones, and an entry older than `ttl` is gone, whether
// or not anyone asks for it (expire() runs from a periodic sweep). Keys are SHA-256 digests
// of the canonical key (protocol::cache_key), so an entry costs 32 bytes of key whatever the
// size of the request.
//
// Collisions: two different calculations share a key only if SHA-256 collides. No collision
// of it is known; finding one at random takes about 2^128 hashes, far beyond any client's
// reach, and a chosen one is as hard (SHA-256 is collision resistant, unlike a fast
// non-cryptographic hash that a client could attack to read another calculation's result).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rtd {

class result_cache {
public:
  using clock = std::chrono::steady_clock;

  /// A calculation's name in the cache: the SHA-256 digest of its canonical key.
  using key = std::array<std::uint8_t, 32>;

  /// The key of `canonical` (protocol::cache_key's text).
  static key key_of(std::string_view canonical);

  /// Bytes an entry is charged besides its result's capacity: key, time, two list nodes, an
  /// index node and its bucket, with the allocator's headers.
  static constexpr std::size_t entry_overhead = 256;

  struct limits {
    std::size_t max_entries = 1000;
    std::size_t max_bytes = 16 << 20; ///< results' capacity plus entry_overhead each
    clock::duration ttl = std::chrono::minutes(5);
  };

  explicit result_cache(limits l);

  /// The result stored under `k` when fresh; counts a hit or a miss.
  std::optional<std::string> find(const key& k, clock::time_point now);

  /// Stores `result` under `k` (replacing what was there), evicting the least recently used
  /// entries until both bounds hold. A result too large for `max_bytes` on its own is not kept.
  /// `now` never goes back from one call to the next (insertion order is age order).
  void insert(const key& k, std::string result, clock::time_point now);

  /// Removes the entry under `k`; false when there was none.
  bool erase(const key& k);

  /// Removes every entry older than the ttl; returns how many.
  std::size_t expire(clock::time_point now);

  /// When the oldest entry expires; nothing when the cache is empty.
  std::optional<clock::time_point> next_expiry() const;

  std::uint64_t hits() const { return hits_; }
  std::uint64_t misses() const { return misses_; }
  std::uint64_t evictions() const { return evictions_; } ///< for room, not for age
  std::uint64_t expired() const { return expired_; }
  std::size_t size() const { return index_.size(); }
  std::size_t bytes() const { return bytes_; } ///< what the entries are charged

private:
  struct entry;
  using age_list = std::list<entry>;              ///< oldest insert first
  using use_list = std::list<age_list::iterator>; ///< most recently used first
  struct entry {
    key k;
    std::string result;
    clock::time_point stored;
    use_list::iterator use;
  };
  struct key_hash {
    std::size_t operator()(const key& k) const noexcept;
  };

  void remove(age_list::iterator it);
  static std::size_t charge(const std::string& result) {
    return result.capacity() + entry_overhead;
  }

  limits limits_;
  age_list by_age_;
  use_list by_use_;
  std::unordered_map<key, age_list::iterator, key_hash> index_;
  std::size_t bytes_ = 0;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
  std::uint64_t evictions_ = 0;
  std::uint64_t expired_ = 0;
};

} // namespace rtd
