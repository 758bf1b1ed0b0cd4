#include "server/history_setup.hpp"

#include "log/log.hpp"
#include "protocol/codec.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace rtd {

namespace {

std::shared_ptr<store::history_db> open_database(const history_setup_options& options) {
  auto db = store::history_db::open(options.data_dir, options.database);
  if (!db)
    throw std::runtime_error(db.failure().message);
  return std::make_shared<store::history_db>(std::move(db).value());
}

/// The journal's records go into the database, then it starts empty. Returns the last
/// record, so that no seq is reused even when the database could not take them.
std::optional<channel_resume> recover_journal(store::history_db& db,
                                              store::crash_journal& journal) {
  auto found = journal.recover();
  if (found.damaged)
    log::warn("journal_damaged",
              "the journal ends with a record torn by a crash; the records before it are "
              "recovered",
              {{"file", journal.path()}});
  if (found.records.empty())
    return std::nullopt;
  const auto& last = found.records.back();
  channel_resume resume{last.epoch, last.seq};
  // What the database has already (all of it after a clean stop) needs no write.
  auto head = db.head(last.channel);
  auto& records = found.records;
  records.erase(std::remove_if(records.begin(), records.end(),
                               [&](const store::publication& p) {
                                 return head && p.epoch == head->epoch && p.seq <= head->seq;
                               }),
                records.end());
  if (auto s = db.write_batch(records); !s) {
    log::warn("journal_not_recovered",
              "the journal's records could not be stored, kept for the next start: " +
                  s.failure().message,
              {{"file", journal.path()}, {"records", std::to_string(records.size())}});
    return resume;
  }
  if (!records.empty())
    log::info("journal_recovered", "publications recovered from the crash journal",
              {{"file", journal.path()}, {"records", std::to_string(records.size())}});
  if (auto s = journal.reset(); !s)
    throw std::runtime_error(s.failure().message);
  return resume;
}

std::optional<protocol::market_snapshot> last_market(store::history_db& db,
                                                     const channel_resume& at) {
  auto page = db.newest(protocol::to_string(protocol::channel::market_data), at.epoch, 1);
  if (!page || page->items.empty())
    return std::nullopt;
  return protocol::decode_market_update(page->items.back().frame);
}

} // namespace

history_resume open_history(const history_setup_options& options) {
  history_resume r;
  r.db = open_database(options);
  for (auto c : protocol::all_channels) {
    const auto i = static_cast<std::size_t>(c);
    const auto name = std::string{protocol::to_string(c)};
    auto path = (std::filesystem::path{options.data_dir} / ("journal-" + name + ".bin")).string();
    auto journal = store::crash_journal::open(path, options.journal_bytes);
    if (!journal)
      throw std::runtime_error(journal.failure().message);
    r.journals[i] = std::make_shared<store::crash_journal>(std::move(journal).value());
    auto from_journal = recover_journal(*r.db, *r.journals[i]);
    if (auto head = r.db->head(name))
      r.channels[i] = channel_resume{head->epoch, head->seq};
    // A journal the database could not take may be ahead of it.
    if (from_journal && (!r.channels[i] || (from_journal->epoch == r.channels[i]->epoch &&
                                            from_journal->seq > r.channels[i]->seq)))
      r.channels[i] = from_journal;
  }
  if (const auto& market = r.channels[static_cast<std::size_t>(protocol::channel::market_data)])
    r.market = last_market(*r.db, *market);
  const auto ttl = std::chrono::duration_cast<std::chrono::microseconds>(options.result_ttl);
  auto now = protocol::now().time_since_epoch().count();
  if (auto results = r.db->fresh_results(now, ttl.count()))
    r.results = std::move(results).value();
  else
    log::warn("results_not_read", "the stored calculation results could not be read: " +
                                      results.failure().message);
  return r;
}

} // namespace rtd
