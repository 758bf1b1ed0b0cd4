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

/// The newest `count` market steps of the epoch, oldest first (those that do not decode, of
/// which there should be none, left out).
std::vector<market_step> last_market_steps(store::history_db& db, const channel_resume& at,
                                           std::size_t count) {
  std::vector<market_step> steps;
  auto limit = static_cast<std::uint32_t>(std::min<std::size_t>(count, UINT32_MAX));
  auto page = db.newest(protocol::to_string(protocol::channel::market_data), at.epoch, limit);
  if (!page) {
    log::warn("market_history_not_read",
              "the stored market steps could not be read: " + page.failure().message);
    return steps;
  }
  for (const auto& item : page->items)
    if (auto values = protocol::decode_market_update(item.frame))
      steps.push_back({item.seq, *values});
  return steps;
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
  if (const auto& market = r.channels[static_cast<std::size_t>(protocol::channel::market_data)]) {
    r.market_steps =
        last_market_steps(*r.db, *market, std::max<std::size_t>(options.market_steps, 1));
    if (!r.market_steps.empty())
      r.market = r.market_steps.back().values;
    if (options.market_steps == 0)
      r.market_steps.clear();
  }
  const auto ttl = std::chrono::duration_cast<std::chrono::microseconds>(options.result_ttl);
  auto now = protocol::now().time_since_epoch().count();
  if (auto results = r.db->fresh_results(now, ttl.count()))
    r.results = std::move(results).value();
  else
    log::warn("results_not_read",
              "the stored calculation results could not be read: " + results.failure().message);
  return r;
}

} // namespace rtd
