#include "store/publication_log.hpp"

#include "store/segment.hpp"

#include <algorithm>
#include <limits>

namespace rtd::store {

namespace {

// The segments from the one that may hold `since_seq` + 1 on (?3: since_seq).
constexpr const char* from_since =
    "SELECT body FROM segments WHERE channel = ?1 AND epoch = ?2 AND first_seq >= "
    "coalesce((SELECT max(first_seq) FROM segments WHERE channel = ?1 AND epoch = ?2 "
    "AND first_seq <= ?3), 0) ";

std::string sql(const char* head, const char* tail) {
  return std::string{head} + tail;
}

} // namespace

publication_log::publication_log(sqlite3* db)
    : db_(db), insert_(db, segment::insert_sql),
      save_head_(db, "INSERT INTO channel_heads (channel, epoch, seq) VALUES (?1, ?2, ?3) "
                     "ON CONFLICT (channel) DO UPDATE SET epoch = excluded.epoch, "
                     "seq = excluded.seq"),
      save_epoch_(db, "INSERT INTO epochs (channel, epoch, ordinal, rows, bytes, first_seq) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (channel, epoch) "
                      "DO UPDATE SET rows = excluded.rows, bytes = excluded.bytes, "
                      "first_seq = excluded.first_seq"),
      last_seq_(db, "SELECT max(last_seq) FROM segments WHERE channel = ?1 AND epoch = ?2"),
      oldest_after_(db, "SELECT min(min_us) FROM segments "
                        "WHERE channel = ?1 AND epoch = ?2 AND first_seq > ?3"),
      oldest_first_(db, "SELECT first_seq, body FROM segments "
                        "WHERE channel = ?1 AND epoch = ?2 ORDER BY first_seq"),
      after_(db, sql(from_since, "ORDER BY first_seq").c_str()),
      newest_(db, "SELECT body FROM segments WHERE channel = ?1 AND epoch = ?2 "
                  "ORDER BY first_seq DESC"),
      between_after_(
          db, sql(from_since, "AND max_us >= ?4 AND min_us <= ?5 ORDER BY first_seq").c_str()),
      between_newest_(db, "SELECT body FROM segments WHERE channel = ?1 AND epoch = ?2 "
                          "AND max_us >= ?3 AND min_us <= ?4 ORDER BY first_seq DESC"),
      count_after_(db, "SELECT coalesce(sum(rows), 0) FROM segments "
                       "WHERE channel = ?1 AND epoch = ?2 AND first_seq > ?3"),
      containing_(db, "SELECT body FROM segments WHERE channel = ?1 AND epoch = ?2 "
                      "AND first_seq <= ?3 ORDER BY first_seq DESC LIMIT 1"),
      age_segment_(db, "SELECT body FROM segments WHERE channel = ?1 AND epoch = ?2 AND "
                       "first_seq = (SELECT max(first_seq) FROM segments "
                       "WHERE channel = ?1 AND epoch = ?2 AND min_us < ?3)"),
      delete_through_(db, "DELETE FROM segments WHERE channel = ?1 AND epoch = ?2 "
                          "AND first_seq <= ?3 AND last_seq <= ?3") {
  load();
}

namespace {

template <class Epochs> auto* find_epoch(Epochs& epochs, std::string_view epoch) {
  auto it =
      std::find_if(epochs.begin(), epochs.end(), [&](const auto& e) { return e.epoch == epoch; });
  return it == epochs.end() ? nullptr : &*it;
}

} // namespace

publication_log::epoch_stats* publication_log::channel_stats::find(std::string_view epoch) {
  return find_epoch(epochs, epoch);
}

const publication_log::epoch_stats*
publication_log::channel_stats::find(std::string_view epoch) const {
  return find_epoch(epochs, epoch);
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

const publication_log::epoch_stats* publication_log::find(std::string_view channel,
                                                          std::string_view epoch) const {
  auto* c = find(channel);
  return c ? c->find(epoch) : nullptr;
}

void publication_log::load() {
  sqlite::statement epochs{db_, "SELECT channel, epoch, ordinal, rows, bytes, first_seq "
                                "FROM epochs ORDER BY channel, ordinal"};
  for (auto r = epochs.query(); r.next();) {
    auto channel = r.text(0);
    epoch_stats e{r.text(1), r.int64(2), static_cast<std::uint64_t>(r.int64(3)),
                  static_cast<std::uint64_t>(r.int64(4)), static_cast<std::uint64_t>(r.int64(5))};
    refresh(channel, e);
    stats_[channel].epochs.push_back(std::move(e));
  }
  sqlite::statement heads{db_, "SELECT channel, epoch, seq FROM channel_heads"};
  for (auto r = heads.query(); r.next();)
    stats_[r.text(0)].head = {r.text(1), static_cast<std::uint64_t>(r.int64(2))};
}

void publication_log::refresh(std::string_view channel, epoch_stats& e) {
  if (e.rows == 0) {
    e.first_seq = e.last_seq = 0;
    e.oldest_us = 0;
    return;
  }
  {
    auto r = last_seq_.query(channel, e.epoch);
    e.last_seq = r.next() ? static_cast<std::uint64_t>(r.int64(0)) : 0;
  }
  // The oldest segment may hold removed records: its kept ones are read; the others' bound.
  std::uint64_t oldest_segment = 0;
  e.oldest_us = std::numeric_limits<std::int64_t>::max();
  if (auto r = oldest_first_.query(channel, e.epoch); r.next()) {
    oldest_segment = static_cast<std::uint64_t>(r.int64(0));
    for (const auto& record : segment::records(r.bytes(1)))
      if (record.seq >= e.first_seq)
        e.oldest_us = std::min(e.oldest_us, record.time_us);
  }
  if (auto r = oldest_after_.query(channel, e.epoch, oldest_segment); r.next() && !r.is_null(0))
    e.oldest_us = std::min(e.oldest_us, r.int64(0));
}

void publication_log::write_batch(const std::vector<publication>& batch,
                                  const retention_policies& retention, std::int64_t now_us) {
  struct open_segment {
    std::string_view channel;
    std::string_view epoch;
    segment::builder records;
  };
  std::vector<open_segment> open; // one per (channel, epoch) of the batch: a handful
  stats_map changed;              // copies of the channels this batch touches, kept if it commits
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
    // Seqs only grow: one not above the epoch's newest (a retried batch, a replayed journal)
    // is stored already, or was removed by retention.
    const auto newest = p.epoch == c.head.epoch ? c.head.seq : e->rows ? e->last_seq : 0;
    if (p.seq <= newest)
      continue;
    const std::string_view text = p.frame.view();
    auto s = std::find_if(open.begin(), open.end(), [&](const open_segment& o) {
      return o.channel == p.channel && o.epoch == p.epoch;
    });
    if (s == open.end())
      s = open.insert(open.end(), open_segment{p.channel, p.epoch, {}});
    s->records.add(p.seq, p.time_us, text);
    if (s->records.full())
      s->records.write(insert_, s->channel, s->epoch);
    if (e->rows == 0)
      e->first_seq = p.seq;
    e->last_seq = p.seq;
    e->oldest_us = e->rows ? std::min(e->oldest_us, p.time_us) : p.time_us;
    ++e->rows;
    e->bytes += text.size();
    e->dirty = true;
    if (p.epoch == c.head.epoch)
      c.head.seq = p.seq;
  }
  for (auto& s : open)
    if (!s.records.empty())
      s.records.write(insert_, s.channel, s.epoch);
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
      save_epoch_.run(channel, e.epoch, e.ordinal, e.rows, e.bytes, e.first_seq);
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
