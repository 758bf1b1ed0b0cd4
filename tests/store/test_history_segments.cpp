// Publications are stored several to a row: a batch spans segments, and retention may remove
// part of one (store/segment.hpp). Neither shows in what the queries return.
#include "store/history_db.hpp"
#include "tests/store/support.hpp"

#include <doctest/doctest.h>

using namespace rtd::store;
using namespace rtd::store::test;
using seq_list = std::vector<std::uint64_t>;

namespace {

history_db open_db(const temp_dir& t) {
  auto db = history_db::open(t.str());
  REQUIRE(db);
  return std::move(db).value();
}

std::uint64_t keep_rows(history_db& db, std::uint64_t rows) {
  retention_policy policy;
  policy.max_rows = rows;
  auto deleted = db.apply_retention("market_data", policy, 0);
  REQUIRE(deleted);
  return *deleted;
}

/// What the queries see of market_data e1 when it keeps seq `first`..600.
void check_kept(history_db& db, std::uint64_t first) {
  CHECK(db.usage("market_data").rows == 601 - first);
  CHECK(seqs(*db.after("market_data", "e1", 0, 2)) == seq_list{first, first + 1});
  CHECK(seqs(*db.after("market_data", "e1", first + 10, 1)) == seq_list{first + 11});
  CHECK(seqs(*db.newest("market_data", "e1", 2)) == seq_list{599, 600});
  auto old = *db.between("market_data", "e1", 0, static_cast<std::int64_t>(first + 4) * 1000, 1000,
                         std::nullopt);
  CHECK(seqs(old) == seq_list{first, first + 1, first + 2, first + 3, first + 4});
  auto all = *db.after("market_data", "e1", 0, 1000);
  CHECK(all.items.size() == 601 - first);
  CHECK_FALSE(all.has_more);
  CHECK(*db.covers("market_data", "e1", first - 1));
  CHECK_FALSE(*db.covers("market_data", "e1", first - 2));
}

} // namespace

TEST_CASE("retention removing part of a segment hides it from every query, across reopens") {
  temp_dir t;
  {
    auto db = open_db(t);
    // 600 publications of 100 bytes in one batch: segments of 256, 256 and 88.
    REQUIRE(db.write_batch(make_batch("market_data", "e1", 1, 600, 1000, 100)));
    CHECK(keep_rows(db, 400) == 200); // inside the first segment
    check_kept(db, 201);
  }
  {
    auto db = open_db(t);
    check_kept(db, 201);
    CHECK(keep_rows(db, 100) == 300); // the first segment whole, and part of the second
    check_kept(db, 501);
  }
  auto db = open_db(t);
  check_kept(db, 501);
  retention_policy age;
  age.max_age_us = 50'000; // at 600,000: 549 and older go
  CHECK(*db.apply_retention("market_data", age, 600'000) == 49);
  check_kept(db, 550);
}
