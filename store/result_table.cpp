#include "store/result_table.hpp"

#include <unordered_set>

namespace rtd::store {

result_table::result_table(sqlite3* db, std::uint64_t max_entries, std::uint64_t max_bytes)
    : db_(db), max_entries_(max_entries), max_bytes_(max_bytes),
      remove_key_(db, "DELETE FROM results WHERE key = ?1 RETURNING bytes"),
      insert_(db, "INSERT INTO results (key, result, stored_us, bytes) VALUES (?1, ?2, ?3, ?4)"),
      evict_oldest_(db, "DELETE FROM results WHERE rowid = "
                        "(SELECT rowid FROM results ORDER BY stored_us, rowid LIMIT 1) "
                        "RETURNING bytes"),
      find_(db, "SELECT result, stored_us FROM results WHERE key = ?1"),
      remove_expired_(db, "DELETE FROM results WHERE stored_us < ?1 RETURNING bytes"),
      fresh_(db, "SELECT key, result, stored_us FROM results WHERE stored_us >= ?1 "
                 "ORDER BY stored_us, rowid") {
  sqlite::statement totals{db, "SELECT count(*), coalesce(sum(bytes), 0) FROM results"};
  auto r = totals.query();
  if (r.next())
    usage_ = {static_cast<std::uint64_t>(r.int64(0)), static_cast<std::uint64_t>(r.int64(1))};
}

template <class... Ts>
void result_table::remove(store::usage& u, sqlite::statement& s, const Ts&... args) {
  auto r = s.query(args...);
  while (r.next()) {
    u.rows -= 1;
    u.bytes -= static_cast<std::uint64_t>(r.int64(0));
  }
}

void result_table::keep_storable(std::vector<stored_result>& batch) const {
  std::unordered_set<std::string_view> keys;
  store::usage kept;
  auto first = batch.size(); // of the kept suffix
  std::vector<bool> keep(batch.size(), false);
  while (first > 0 && kept.rows < max_entries_) {
    const auto& r = batch[first - 1];
    const auto bytes = r.bytes();
    if (bytes > max_bytes_ || !keys.insert(r.key).second) { // never stored, or replaced later
      --first;
      continue;
    }
    if (kept.bytes + bytes > max_bytes_)
      break;
    kept = {kept.rows + 1, kept.bytes + bytes};
    keep[--first] = true;
  }
  std::size_t out = 0;
  for (std::size_t i = first; i < batch.size(); ++i) {
    if (!keep[i])
      continue;
    if (out != i)
      batch[out] = std::move(batch[i]);
    ++out;
  }
  batch.resize(out);
}

void result_table::put(std::vector<stored_result> batch) {
  if (max_entries_ == 0)
    return;
  keep_storable(batch);
  auto u = usage_;
  sqlite::transaction tx{db_};
  for (const auto& r : batch) {
    const auto bytes = r.bytes();
    if (bytes > max_bytes_)
      continue;
    remove(u, remove_key_, std::string_view{r.key});
    while (u.rows > 0 && (u.rows + 1 > max_entries_ || u.bytes + bytes > max_bytes_))
      remove(u, evict_oldest_);
    insert_.run(std::string_view{r.key}, std::string_view{r.result}, r.stored_us, bytes);
    u = {u.rows + 1, u.bytes + bytes};
  }
  tx.commit();
  usage_ = u;
}

std::optional<std::string> result_table::get(std::string_view key, std::int64_t now_us,
                                             std::int64_t ttl_us) {
  auto r = find_.query(key);
  if (!r.next() || now_us - r.int64(1) > ttl_us)
    return std::nullopt;
  return r.text(0);
}

std::vector<stored_result> result_table::fresh(std::int64_t now_us, std::int64_t ttl_us) {
  std::vector<stored_result> out;
  for (auto r = fresh_.query(now_us - ttl_us); r.next();)
    out.push_back({r.text(0), r.text(1), r.int64(2)});
  return out;
}

std::uint64_t result_table::erase_expired(std::int64_t now_us, std::int64_t ttl_us) {
  auto u = usage_;
  remove(u, remove_expired_, now_us - ttl_us);
  auto erased = usage_.rows - u.rows;
  usage_ = u;
  return erased;
}

} // namespace rtd::store
