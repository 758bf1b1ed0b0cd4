#include "store/history_db.hpp"
#include "tests/store/support.hpp"

#include <doctest/doctest.h>

using namespace rtd::store;
using rtd::store::test::make_batch;
using rtd::store::test::make_publication;
using rtd::store::test::seqs;
using rtd::store::test::temp_dir;

namespace {

history_db open_db(const temp_dir& t) {
  auto db = history_db::open(t.str());
  REQUIRE(db);
  return std::move(db).value();
}

} // namespace

TEST_CASE("a batch of 10,000 publications is stored in one write") {
  temp_dir t;
  auto db = open_db(t);
  auto batch = make_batch("market_data", "e1", 1, 10'000, 1000, 300);
  REQUIRE(db.write_batch(batch));
  CHECK(db.usage("market_data").rows == 10'000);
  CHECK(db.usage("market_data").bytes == 10'000 * 300);
  auto head = db.head("market_data");
  REQUIRE(head);
  CHECK(head->epoch == "e1");
  CHECK(head->seq == 10'000);
  auto last = db.after("market_data", "e1", 9'990, 100);
  REQUIRE(last);
  CHECK(last->items.size() == 10);
  CHECK(last->items.back().frame == batch.back().frame.view());
  CHECK(last->items.back().time_us == 10'000'000);
}

TEST_CASE("a channel never written has no head") {
  temp_dir t;
  auto db = open_db(t);
  CHECK_FALSE(db.head("system"));
  CHECK(db.usage("system").rows == 0);
  CHECK(db.write_batch({}));
}

TEST_CASE("heads and usage survive a reopen") {
  temp_dir t;
  {
    auto db = open_db(t);
    REQUIRE(db.write_batch(make_batch("market_data", "e1", 1, 50)));
    REQUIRE(db.write_batch(make_batch("system", "s1", 1, 7)));
  }
  auto db = open_db(t);
  CHECK(db.head("market_data")->seq == 50);
  CHECK(db.head("market_data")->epoch == "e1");
  CHECK(db.head("system")->seq == 7);
  CHECK(db.usage("market_data").rows == 50);
  CHECK(*db.covers("market_data", "e1", 0));
  REQUIRE(db.write_batch(make_batch("market_data", "e1", 51, 60)));
  CHECK(db.head("market_data")->seq == 60);
  CHECK(seqs(*db.after("market_data", "e1", 48, 5)) ==
        std::vector<std::uint64_t>{49, 50, 51, 52, 53});
}

TEST_CASE("one batch may carry several channels") {
  temp_dir t;
  auto db = open_db(t);
  auto batch = make_batch("market_data", "e1", 1, 3);
  auto other = make_batch("notifications", "n1", 1, 2);
  batch.insert(batch.begin() + 1, other.begin(), other.end());
  REQUIRE(db.write_batch(batch));
  CHECK(db.head("market_data")->seq == 3);
  CHECK(db.head("notifications")->seq == 2);
  CHECK(db.usage("notifications").rows == 2);
}

TEST_CASE("a publication already stored is left as it was") {
  temp_dir t;
  auto db = open_db(t);
  REQUIRE(db.write_batch(make_batch("market_data", "e1", 1, 10)));
  auto replay = make_batch("market_data", "e1", 8, 12);
  replay.front().frame = shared_text::copy_of("changed");
  REQUIRE(db.write_batch(replay));
  CHECK(db.usage("market_data").rows == 12);
  CHECK(db.head("market_data")->seq == 12);
  CHECK(db.after("market_data", "e1", 7, 1)->items.front().frame == "market_data/e1/8");
}

TEST_CASE("a new epoch becomes the head and older epochs stay queryable") {
  temp_dir t;
  {
    auto db = open_db(t);
    REQUIRE(db.write_batch(make_batch("market_data", "e1", 1, 20)));
    REQUIRE(db.write_batch(make_batch("market_data", "e2", 1, 5)));
    CHECK(db.head("market_data")->epoch == "e2");
    CHECK(db.head("market_data")->seq == 5);
    // A late publication of the old epoch is stored but does not move the head back.
    REQUIRE(db.write_batch({make_publication("market_data", "e1", 21, 21'000)}));
    CHECK(db.head("market_data")->epoch == "e2");
    CHECK(db.head("market_data")->seq == 5);
  }
  auto db = open_db(t);
  CHECK(db.head("market_data")->epoch == "e2");
  CHECK(db.usage("market_data").rows == 26);
  CHECK(seqs(*db.newest("market_data", "e1", 2)) == std::vector<std::uint64_t>{20, 21});
  CHECK(seqs(*db.newest("market_data", "e2", 2)) == std::vector<std::uint64_t>{4, 5});
}
