// The result cache of completed calculations: least recently used entries give way once
// `max_entries` is reached, and an entry older than `ttl` is a miss.
#pragma once

#include <chrono>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>

namespace rtd {

class result_cache {
public:
  using clock = std::chrono::steady_clock;

  result_cache(std::size_t max_entries, clock::duration ttl);

  /// The result stored under `key` when fresh; counts a hit or a miss.
  std::optional<std::string> find(const std::string& key, clock::time_point now);

  /// Stores `result` under `key`, evicting the least recently used entry when full.
  void insert(const std::string& key, std::string result, clock::time_point now);

  std::uint64_t hits() const { return hits_; }
  std::uint64_t misses() const { return misses_; }
  std::uint64_t evictions() const { return evictions_; }
  std::size_t size() const { return index_.size(); }

private:
  struct entry {
    std::string key;
    std::string result;
    clock::time_point stored;
  };
  using entry_list = std::list<entry>; ///< most recently used first

  void erase(entry_list::iterator it);

  std::size_t max_entries_;
  clock::duration ttl_;
  entry_list entries_;
  std::unordered_map<std::string, entry_list::iterator> index_;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
  std::uint64_t evictions_ = 0;
};

} // namespace rtd
