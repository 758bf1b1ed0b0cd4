#include "actors/result_cache.hpp"

namespace rtd {

result_cache::result_cache(std::size_t max_entries, clock::duration ttl)
    : max_entries_(max_entries), ttl_(ttl) {}

std::optional<std::string> result_cache::find(const std::string& key, clock::time_point now) {
  auto it = index_.find(key);
  if (it == index_.end()) {
    ++misses_;
    return std::nullopt;
  }
  if (now - it->second->stored > ttl_) {
    erase(it->second);
    ++misses_;
    return std::nullopt;
  }
  entries_.splice(entries_.begin(), entries_, it->second);
  ++hits_;
  return it->second->result;
}

void result_cache::insert(const std::string& key, std::string result, clock::time_point now) {
  if (max_entries_ == 0)
    return;
  if (auto it = index_.find(key); it != index_.end())
    erase(it->second);
  while (index_.size() >= max_entries_) {
    erase(std::prev(entries_.end()));
    ++evictions_;
  }
  entries_.push_front({key, std::move(result), now});
  index_.emplace(key, entries_.begin());
}

void result_cache::erase(entry_list::iterator it) {
  index_.erase(it->key);
  entries_.erase(it);
}

} // namespace rtd
