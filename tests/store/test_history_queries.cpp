#include "store/history_db.hpp"
#include "tests/store/support.hpp"

#include <doctest/doctest.h>

using namespace rtd::store;
using rtd::store::test::make_batch;
using rtd::store::test::seqs;
using rtd::store::test::temp_dir;
using seq_list = std::vector<std::uint64_t>;

namespace {

/// Ten publications of market_data, epoch e1, seq s at time_us s * 100.
struct ten_rows {
  ten_rows() {
    auto opened = history_db::open(dir.str());
    REQUIRE(opened);
    db.emplace(std::move(opened).value());
    REQUIRE(db->write_batch(make_batch("market_data", "e1", 1, 10, 100)));
  }
  page after(std::uint64_t since, std::uint32_t limit) {
    return *db->after("market_data", "e1", since, limit);
  }
  page between(std::int64_t from, std::int64_t to, std::uint32_t limit,
               std::optional<std::uint64_t> since = std::nullopt) {
    return *db->between("market_data", "e1", from, to, limit, since);
  }
  temp_dir dir;
  std::optional<history_db> db;
};

} // namespace

TEST_CASE_FIXTURE(ten_rows, "after returns the oldest rows past since_seq, has_more exact") {
  CHECK(seqs(after(0, 10)) == seq_list{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  CHECK_FALSE(after(0, 10).has_more);
  CHECK(after(0, 9).has_more);
  CHECK(seqs(after(0, 9)).back() == 9);
  CHECK(seqs(after(7, 3)) == seq_list{8, 9, 10});
  CHECK_FALSE(after(7, 3).has_more);
  CHECK(after(7, 2).has_more);
  CHECK(after(10, 5).items.empty());
  CHECK_FALSE(after(10, 5).has_more);
  CHECK(after(9, 0).items.empty());
  CHECK(after(9, 0).has_more);
  CHECK_FALSE(after(10, 0).has_more);
}

TEST_CASE_FIXTURE(ten_rows, "newest returns the newest rows in ascending seq") {
  auto p = *db->newest("market_data", "e1", 3);
  CHECK(seqs(p) == seq_list{8, 9, 10});
  CHECK(p.has_more);
  CHECK_FALSE(db->newest("market_data", "e1", 10)->has_more);
  CHECK(db->newest("market_data", "e1", 9)->has_more);
  CHECK(db->newest("market_data", "other", 5)->items.empty());
  CHECK(db->newest("system", "e1", 5)->items.empty());
}

TEST_CASE_FIXTURE(ten_rows, "between includes both ends") {
  CHECK(seqs(between(200, 500, 100)) == seq_list{2, 3, 4, 5});
  CHECK_FALSE(between(200, 500, 4).has_more);
  CHECK(seqs(between(500, 500, 100)) == seq_list{5});
  CHECK(between(201, 299, 100).items.empty());
  CHECK(seqs(between(0, 100, 100)) == seq_list{1});
  CHECK(seqs(between(1000, 5000, 100)) == seq_list{10});
}

TEST_CASE_FIXTURE(ten_rows, "between without since_seq returns the newest of the range") {
  auto p = between(200, 500, 2);
  CHECK(seqs(p) == seq_list{4, 5});
  CHECK(p.has_more);
  CHECK(between(200, 500, 3).has_more);
}

TEST_CASE_FIXTURE(ten_rows, "between with since_seq returns the oldest of the range after it") {
  auto p = between(200, 500, 2, 2);
  CHECK(seqs(p) == seq_list{3, 4});
  CHECK(p.has_more);
  auto rest = between(200, 500, 2, 4);
  CHECK(seqs(rest) == seq_list{5});
  CHECK_FALSE(rest.has_more);
  CHECK(between(200, 500, 2, 5).items.empty());
  CHECK(seqs(between(200, 500, 1, 0)) == seq_list{2});
}

TEST_CASE_FIXTURE(ten_rows, "covers says whether a recovery from since_seq is complete") {
  CHECK(*db->covers("market_data", "e1", 0));
  CHECK(*db->covers("market_data", "e1", 9));
  CHECK(*db->covers("market_data", "e1", 10));
  CHECK_FALSE(*db->covers("market_data", "e1", 11)); // a seq the epoch never had
  CHECK_FALSE(*db->covers("market_data", "e0", 5));  // another epoch
  CHECK_FALSE(*db->covers("system", "e1", 0));
}

TEST_CASE_FIXTURE(ten_rows, "covers sees a hole in the stored seqs") {
  REQUIRE(db->write_batch(make_batch("market_data", "e1", 12, 15, 100)));
  CHECK(db->head("market_data")->seq == 15);
  CHECK(*db->covers("market_data", "e1", 11));
  CHECK(*db->covers("market_data", "e1", 14));
  CHECK_FALSE(*db->covers("market_data", "e1", 10));
  CHECK_FALSE(*db->covers("market_data", "e1", 0));
  // Seqs only grow: a late publication below the head does not fill the hole.
  REQUIRE(db->write_batch(make_batch("market_data", "e1", 11, 11, 100)));
  CHECK(db->usage("market_data").rows == 14);
  CHECK_FALSE(*db->covers("market_data", "e1", 0));
}

TEST_CASE_FIXTURE(ten_rows, "only the head's epoch is covered") {
  REQUIRE(db->write_batch(make_batch("market_data", "e2", 1, 3, 100)));
  CHECK_FALSE(*db->covers("market_data", "e1", 5));
  CHECK(*db->covers("market_data", "e2", 0));
  CHECK(seqs(after(5, 100)) == seq_list{6, 7, 8, 9, 10});
}
