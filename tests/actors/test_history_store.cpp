// The history store actor: batches by count and by timer, retention per channel by age, rows
// and bytes, failed writes kept and retried (bounded) with the failure reported, what is
// pending written at shutdown. The channels hand it every publication.
#include "actors/history_pages.hpp"
#include "tests/actors/history_fixture.hpp"

#include <sqlite3.h>

using namespace rtd;
using protocol::channel;
using rtd::test::history_fixture;
using rtd::test::small_batches;

namespace {

history_health health(history_fixture& f) {
  return f.ask<history_health>(f.store, caf::get_atom::value);
}

history_store_config with_retention(retention_limits limits) {
  auto c = small_batches();
  c.retention[static_cast<std::size_t>(channel::notifications)] = limits;
  return c;
}

/// A publication of `notifications` stamped `time_us`, straight to the store (as a batch of
/// one, as a channel sends it).
std::vector<archived_publication> at(std::uint64_t seq, std::int64_t time_us,
                                     std::size_t size = 10) {
  return {{channel::notifications, "e1", seq, time_us, make_frame(std::string(size, 'x'))}};
}

} // namespace

TEST_CASE_FIXTURE(history_fixture, "a batch is written once it is full, or when its timer ends") {
  notify_range(1, 3);
  CHECK(stored(channel::notifications) == 0); // below the batch size, before the timer
  notify(4);
  CHECK(stored(channel::notifications) == 4); // the fourth fills the batch
  notify(5);
  CHECK(stored(channel::notifications) == 4);
  flush();
  CHECK(stored(channel::notifications) == 5);
  auto h = health(*this);
  CHECK(h.figures.enabled);
  CHECK(h.figures.written == 5);
  CHECK(h.figures.pending == 0);
  CHECK(h.degraded.empty());
  // Stored as sent: the frame's JSON, with its seq and epoch.
  auto page = db->newest("notifications", "e1", 1);
  REQUIRE(page);
  CHECK(page->items[0].seq == 5);
  CHECK(page->items[0].frame.find(R"("message":"n5")") != std::string::npos);
  CHECK(page->items[0].frame.find(R"("epoch":"e1")") != std::string::npos);
}

TEST_CASE_FIXTURE(history_fixture, "a query writes what is pending first") {
  notify_range(1, 2);
  history_query q;
  q.channel = channel::notifications;
  q.epoch = "e1";
  auto page = ask<history_page>(store, q);
  REQUIRE(page.items.size() == 2);
  CHECK(page.items[1].seq == 2);
  CHECK(stored(channel::notifications) == 2);
  auto c = ask<coverage>(store, coverage_query{channel::notifications, "e1", 0});
  CHECK(c.covered);
  CHECK(c.through == 2);
  CHECK_FALSE(ask<coverage>(store, coverage_query{channel::notifications, "other", 0}).covered);
}

TEST_CASE_FIXTURE(history_fixture, "a channel's query reaches the store after what it archived") {
  // Three publications wait in the channel's mailbox ahead of the query: what the channel
  // archives goes to the store before the query does, not at the flush it asked itself for
  // (which comes after the query).
  const auto& notifications = channel_of(channels, channel::notifications);
  for (int n = 1; n <= 3; ++n) {
    protocol::notification note;
    note.message = "n" + std::to_string(n);
    caf::anon_send(notifications, protocol::publication_body{note});
  }
  history_query q;
  q.channel = channel::notifications;
  self->send(notifications, q); // its reply waits in self's mailbox
  run();
  std::optional<history_page> page;
  self->receive([&](history_page& p) { page = std::move(p); },
                caf::after(std::chrono::seconds(0)) >> [] {});
  REQUIRE(page);
  CHECK(page->items.size() == 3);
  CHECK(stored(channel::notifications) == 3);
}

TEST_CASE("retention by rows keeps the newest rows of the channel") {
  history_fixture f{with_retention({std::chrono::seconds(0), 6, 0})};
  f.notify_range(1, 20);
  f.flush();
  CHECK(f.stored(channel::notifications) == 6);
  auto page = f.db->newest("notifications", "e1", 100);
  REQUIRE(page);
  CHECK(page->items.front().seq == 15);
  CHECK(page->items.back().seq == 20);
  // Other channels keep theirs.
  CHECK(f.stored(channel::market_data) == 0);
}

TEST_CASE("retention by bytes keeps the newest frames within the bound") {
  history_fixture f{with_retention({std::chrono::seconds(0), 0, 1000})};
  for (std::uint64_t seq = 1; seq <= 12; ++seq)
    caf::anon_send(f.store, at(seq, 1, 300));
  f.flush();
  auto use = f.db->usage("notifications");
  CHECK(use.bytes <= 1000);
  CHECK(use.rows == 3);
  CHECK(f.db->newest("notifications", "e1", 1)->items[0].seq == 12);
}

TEST_CASE("retention by age removes old rows after writes and on its timer") {
  auto config = with_retention({std::chrono::seconds(3600), 0, 0});
  config.retention[static_cast<std::size_t>(channel::calculations)] = {std::chrono::seconds(3600),
                                                                       0, 0};
  config.retention_interval = std::chrono::seconds(1);
  history_fixture f{config};
  const auto now = to_micros(protocol::now());
  const std::int64_t hour = 3600'000'000;
  caf::anon_send(f.store, at(1, now - 2 * hour));
  caf::anon_send(f.store, at(2, now - hour - 1'000'000));
  caf::anon_send(f.store, at(3, now - hour + 60'000'000)); // 59 minutes old: kept
  caf::anon_send(f.store, at(4, now));
  f.run();
  CHECK(f.stored(channel::notifications) == 2);
  CHECK(f.db->newest("notifications", "e1", 10)->items.front().seq == 3);
  // Rows that aged with no write after them (put there behind the store's back, stamped in
  // 1970) go when the retention timer runs.
  REQUIRE(f.db->write_batch(rtd::store::test::make_batch("calculations", "e1", 1, 3)));
  CHECK(f.stored(channel::calculations) == 3);
  f.advance(std::chrono::seconds(1));
  CHECK(f.stored(channel::calculations) == 0);
  CHECK(f.stored(channel::notifications) == 2);
}

TEST_CASE("a failing disk: the batch is kept, the failure reported, writing resumes") {
  history_fixture f{small_batches(), 16, true};
  f.notify_range(1, 4);
  CHECK(f.stored(channel::notifications) == 4);
  {
    store::test::write_fault full{SQLITE_FULL};
    f.notify_range(5, 12); // two full batches: the first write fails, the rest waits
    auto h = health(f);
    CHECK(h.degraded.find("full") != std::string::npos);
    CHECK(h.figures.pending == 8);
    CHECK(h.figures.write_errors >= 1);
    CHECK(f.stored(channel::notifications) == 4);
    f.advance(std::chrono::milliseconds(100)); // the retry fails too
    CHECK(health(f).figures.pending == 8);
    CHECK_FALSE(health(f).degraded.empty());
  }
  f.advance(std::chrono::milliseconds(100));
  CHECK(f.stored(channel::notifications) == 12);
  auto h = health(f);
  CHECK(h.degraded.empty());
  CHECK(h.figures.pending == 0);
  CHECK(h.figures.written == 12);
  CHECK(*f.db->covers("notifications", "e1", 0));
}

TEST_CASE("while the disk fails, the oldest unwritten publications give way past the bound") {
  auto config = small_batches();
  config.backlog_bytes = 1000;
  history_fixture f{config, 16, true};
  {
    store::test::write_fault readonly{SQLITE_READONLY};
    for (std::uint64_t seq = 1; seq <= 10; ++seq)
      caf::anon_send(f.store, at(seq, 1, 300));
    f.run();
    auto h = health(f);
    CHECK(h.figures.pending == 3); // 900 bytes
    CHECK(h.figures.dropped == 7);
  }
  f.advance(std::chrono::milliseconds(100));
  auto page = f.db->after("notifications", "e1", 0, 100);
  REQUIRE(page);
  CHECK(rtd::store::test::seqs(*page) == std::vector<std::uint64_t>{8, 9, 10});
  CHECK_FALSE(*f.db->covers("notifications", "e1", 0)); // the gap is known, not hidden
}

TEST_CASE_FIXTURE(history_fixture, "what is pending is written when the store stops") {
  notify_range(1, 2);
  CHECK(stored(channel::notifications) == 0);
  kill(store);
  CHECK(stored(channel::notifications) == 2);
}

TEST_CASE("calculation results are written once due, apart from the publications' batches") {
  auto config = small_batches();
  config.result_flush_interval = std::chrono::milliseconds(50);
  history_fixture f{config};
  auto results = [&] { return f.db->results_usage().rows; };
  caf::anon_send(f.store, std::vector<store::stored_result>{{"npv:1", R"({"npv":1})", 1},
                                                            {"npv:2", R"({"npv":2})", 2}});
  f.run();
  f.notify(1);
  f.flush(); // the publication's batch, 10 ms later
  CHECK(f.stored(channel::notifications) == 1);
  CHECK(results() == 0);
  f.advance(std::chrono::milliseconds(39));
  CHECK(results() == 0);
  f.advance(std::chrono::milliseconds(1)); // 50 ms after the first result
  CHECK(results() == 2);
  CHECK(f.db->get_result("npv:2", 2, 0)->value() == R"({"npv":2})");
  caf::anon_send(f.store, std::vector<store::stored_result>{{"npv:3", "3", 3}});
  f.run();
  f.kill(f.store); // at shutdown, before it is due
  CHECK(results() == 3);
}

TEST_CASE("of more results waiting than the table holds, the newest are written") {
  history_fixture f;
  const auto capacity = f.db->results_capacity().rows;
  // Twice the table's entries and one more: those waiting are cut to what it keeps.
  for (std::uint64_t n = 0; n <= 2 * capacity; ++n)
    caf::anon_send(f.store, std::vector<store::stored_result>{
                                {"k" + std::to_string(n), "r", static_cast<std::int64_t>(n)}});
  f.run();
  f.kill(f.store);
  CHECK(f.db->results_usage().rows == capacity);
  CHECK_FALSE(f.db->get_result("k" + std::to_string(capacity), 0, 1'000'000)->has_value());
  CHECK(f.db->get_result("k" + std::to_string(capacity + 1), 0, 1'000'000)->has_value());
  CHECK(f.db->get_result("k" + std::to_string(2 * capacity), 0, 1'000'000)->has_value());
}
