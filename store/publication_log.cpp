#include "store/publication_log.hpp"

#include <algorithm>

namespace rtd::store {

namespace {

constexpr const char* columns = "SELECT seq, time_us, frame FROM publications ";

std::string sql(const char* tail) {
  return std::string{columns} + tail;
}

} // namespace

publication_log::publication_log(sqlite3* db)
    : db_(db),
      insert_(db, "INSERT OR IGNORE INTO publications (channel, epoch, seq, time_us, frame) "
                  "VALUES (?1, ?2, ?3, ?4, ?5)"),
      save_head_(db, "INSERT INTO channel_heads (channel, epoch, seq) VALUES (?1, ?2, ?3) "
                     "ON CONFLICT (channel) DO UPDATE SET epoch = excluded.epoch, "
                     "seq = excluded.seq"),
      save_epoch_(db, "INSERT INTO epochs (channel, epoch, ordinal, rows, bytes) "
                      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (channel, epoch) "
                      "DO UPDATE SET rows = excluded.rows, bytes = excluded.bytes"),
      first_seq_(db, "SELECT min(seq) FROM publications WHERE channel = ?1 AND epoch = ?2"),
      last_seq_(db, "SELECT max(seq) FROM publications WHERE channel = ?1 AND epoch = ?2"),
      oldest_time_(db, "SELECT min(time_us) FROM publications WHERE channel = ?1 AND epoch = ?2"),
      after_(db,
             sql("WHERE channel = ?1 AND epoch = ?2 AND seq > ?3 ORDER BY seq LIMIT ?4").c_str()),
      newest_(db, sql("WHERE channel = ?1 AND epoch = ?2 ORDER BY seq DESC LIMIT ?3").c_str()),
      between_after_(db, sql("WHERE channel = ?1 AND epoch = ?2 AND time_us BETWEEN ?3 AND ?4 "
                             "AND seq > ?5 ORDER BY seq LIMIT ?6")
                             .c_str()),
      between_newest_(db, sql("WHERE channel = ?1 AND epoch = ?2 AND time_us BETWEEN ?3 AND ?4 "
                              "ORDER BY seq DESC LIMIT ?5")
                              .c_str()),
      count_after_(db, "SELECT count(*) FROM publications "
                       "WHERE channel = ?1 AND epoch = ?2 AND seq > ?3"),
      age_cut_(db, "SELECT max(seq) FROM publications "
                   "WHERE channel = ?1 AND epoch = ?2 AND time_us < ?3"),
      sizes_(db, "SELECT seq, length(frame) FROM publications "
                 "WHERE channel = ?1 AND epoch = ?2 ORDER BY seq"),
      usage_through_(db, "SELECT count(*), coalesce(sum(length(frame)), 0) FROM publications "
                         "WHERE channel = ?1 AND epoch = ?2 AND seq <= ?3"),
      delete_through_(db, "DELETE FROM publications WHERE channel = ?1 AND epoch = ?2 "
                          "AND seq <= ?3") {
  load();
}

publication_log::epoch_stats* publication_log::channel_stats::find(std::string_view epoch) {
  auto it = std::find_if(epochs.begin(), epochs.end(),
                         [&](const epoch_stats& e) { return e.epoch == epoch; });
  return it == epochs.end() ? nullptr : &*it;
}

usage publication_log::channel_stats::total() const {
  store::usage u;
  for (const auto& e : epochs) {
    u.rows += e.rows;
    u.bytes += e.bytes;
  }
  return u;
}

const publication_log::channel_stats* publication_log::find(std::string_view channel) const {
  auto it = stats_.find(channel);
  return it == stats_.end() ? nullptr : &it->second;
}

void publication_log::load() {
  sqlite::statement epochs{db_, "SELECT channel, epoch, ordinal, rows, bytes FROM epochs "
                                "ORDER BY channel, ordinal"};
  for (auto r = epochs.query(); r.next();) {
    auto channel = r.text(0);
    epoch_stats e{r.text(1), r.int64(2), static_cast<std::uint64_t>(r.int64(3)),
                  static_cast<std::uint64_t>(r.int64(4))};
    refresh(channel, e);
    stats_[channel].epochs.push_back(std::move(e));
  }
  sqlite::statement heads{db_, "SELECT channel, epoch, seq FROM channel_heads"};
  for (auto r = heads.query(); r.next();)
    stats_[r.text(0)].head = {r.text(1), static_cast<std::uint64_t>(r.int64(2))};
}

void publication_log::refresh(std::string_view channel, epoch_stats& e) {
  auto read = [&](sqlite::statement& s) {
    auto r = s.query(channel, e.epoch);
    return r.next() ? r.int64(0) : 0;
  };
  e.first_seq = e.rows ? static_cast<std::uint64_t>(read(first_seq_)) : 0;
  e.last_seq = e.rows ? static_cast<std::uint64_t>(read(last_seq_)) : 0;
  e.oldest_us = e.rows ? read(oldest_time_) : 0;
}

void publication_log::write_batch(const std::vector<publication>& batch,
                                  const retention_policies& retention, std::int64_t now_us) {
  static const std::string no_frame;
  stats_map changed; // copies of the channels this batch touches, kept if it commits
  sqlite::transaction tx{db_};
  for (const auto& p : batch) {
    auto it = changed.find(p.channel);
    if (it == changed.end()) {
      auto old = stats_.find(p.channel);
      it = changed.emplace(p.channel, old == stats_.end() ? channel_stats{} : old->second).first;
    }
    auto& c = it->second;
    auto* e = c.find(p.epoch);
    if (!e) {
      // An epoch this channel never stored starts a new run of its sequence: the new head.
      std::int64_t ordinal = c.epochs.empty() ? 1 : c.epochs.back().ordinal + 1;
      e = &c.epochs.emplace_back(epoch_stats{p.epoch, ordinal});
      c.head = {p.epoch, 0};
    }
    const std::string& text = p.frame ? *p.frame : no_frame;
    // A row already stored (a retried batch, a replayed journal) is left as it is.
    if (insert_.run(p.channel, p.epoch, p.seq, p.time_us, sqlite::blob{text}) == 1) {
      e->first_seq = e->rows ? std::min(e->first_seq, p.seq) : p.seq;
      e->last_seq = e->rows ? std::max(e->last_seq, p.seq) : p.seq;
      e->oldest_us = e->rows ? std::min(e->oldest_us, p.time_us) : p.time_us;
      ++e->rows;
      e->bytes += text.size();
    }
    e->dirty = true;
    if (p.epoch == c.head.epoch)
      c.head.seq = std::max(c.head.seq, p.seq);
  }
  for (auto& [channel, c] : changed) {
    if (auto policy = retention.find(channel); policy != retention.end())
      if (bounds b{policy->second, now_us}; b.exceeded_by(c))
        trim(channel, c, b);
    save(channel, c);
  }
  tx.commit();
  for (auto& [channel, c] : changed)
    stats_.insert_or_assign(channel, std::move(c));
}

void publication_log::save(std::string_view channel, channel_stats& c) {
  save_head_.run(channel, c.head.epoch, c.head.seq);
  for (auto& e : c.epochs) {
    if (e.dirty)
      save_epoch_.run(channel, e.epoch, e.ordinal, e.rows, e.bytes);
    e.dirty = false;
  }
}

std::optional<channel_head> publication_log::head(std::string_view channel) const {
  if (auto* c = find(channel))
    return c->head;
  return std::nullopt;
}

usage publication_log::usage(std::string_view channel) const {
  auto* c = find(channel);
  return c ? c->total() : store::usage{};
}

} // namespace rtd::store
