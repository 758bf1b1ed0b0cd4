#include "store/history_db.hpp"
#include "tests/store/support.hpp"

#include <doctest/doctest.h>

using namespace rtd::store;
using rtd::store::test::make_batch;
using rtd::store::test::seqs;
using rtd::store::test::temp_dir;
using seq_list = std::vector<std::uint64_t>;

namespace {

/// market_data seq 1..10 of epoch e1 at time_us = seq * 1000, frames of 20 bytes.
struct ten_rows {
  ten_rows() {
    auto opened = history_db::open(dir.str());
    REQUIRE(opened);
    db.emplace(std::move(opened).value());
    REQUIRE(db->write_batch(make_batch("market_data", "e1", 1, 10, 1000, 20)));
  }
  std::uint64_t retain(const retention_policy& policy, std::int64_t now_us = 10'000) {
    auto deleted = db->apply_retention("market_data", policy, now_us);
    REQUIRE(deleted);
    return *deleted;
  }
  seq_list kept(const std::string& epoch = "e1") {
    return seqs(*db->after("market_data", epoch, 0, 1000));
  }
  temp_dir dir;
  std::optional<history_db> db;
};

} // namespace

TEST_CASE_FIXTURE(ten_rows, "retention by age removes the rows older than now - max_age") {
  retention_policy policy;
  policy.max_age_us = 4000; // the cutoff is 6000: seq 6 is exactly as old, and stays
  CHECK(retain(policy) == 5);
  CHECK(kept() == seq_list{6, 7, 8, 9, 10});
  CHECK(db->usage("market_data").rows == 5);
  CHECK(db->usage("market_data").bytes == 100);
  CHECK(retain(policy) == 0);
  CHECK(retain(policy, 10'001) == 1);
  CHECK(kept() == seq_list{7, 8, 9, 10});
  CHECK(*db->covers("market_data", "e1", 6));
  CHECK_FALSE(*db->covers("market_data", "e1", 5));
}

TEST_CASE_FIXTURE(ten_rows, "retention by rows keeps the newest max_rows") {
  retention_policy policy;
  policy.max_rows = 10;
  CHECK(retain(policy) == 0);
  policy.max_rows = 3;
  CHECK(retain(policy) == 7);
  CHECK(kept() == seq_list{8, 9, 10});
  CHECK(db->usage("market_data").rows == 3);
}

TEST_CASE_FIXTURE(ten_rows, "retention by bytes keeps the newest frames that fit") {
  retention_policy policy;
  policy.max_bytes = 200;
  CHECK(retain(policy) == 0);
  policy.max_bytes = 79;
  CHECK(retain(policy) == 7);
  CHECK(kept() == seq_list{8, 9, 10});
  CHECK(db->usage("market_data").bytes == 60);
  policy.max_bytes = 60;
  CHECK(retain(policy) == 0);
}

TEST_CASE_FIXTURE(ten_rows, "every bound applies together") {
  retention_policy policy;
  policy.max_age_us = 8000; // would keep 2..10
  policy.max_rows = 6;      // would keep 5..10
  policy.max_bytes = 160;   // would keep 3..10
  CHECK(retain(policy) == 4);
  CHECK(kept() == seq_list{5, 6, 7, 8, 9, 10});
}

TEST_CASE_FIXTURE(ten_rows, "the oldest epoch goes first and the head stays without rows") {
  REQUIRE(db->write_batch(make_batch("market_data", "e2", 1, 4, 1000, 20)));
  retention_policy policy;
  policy.max_rows = 6;
  CHECK(retain(policy) == 8);
  CHECK(kept("e1") == seq_list{9, 10});
  CHECK(kept("e2") == seq_list{1, 2, 3, 4});
  policy.max_rows = 0;
  CHECK(retain(policy) == 6);
  CHECK(db->usage("market_data").rows == 0);
  CHECK(db->head("market_data")->epoch == "e2");
  CHECK(db->head("market_data")->seq == 4);
  CHECK(*db->covers("market_data", "e2", 4));
  CHECK_FALSE(*db->covers("market_data", "e2", 3));
}

TEST_CASE("retention's figures survive a reopen") {
  temp_dir t;
  {
    auto db = history_db::open(t.str());
    REQUIRE(db);
    REQUIRE(db->write_batch(make_batch("market_data", "e1", 1, 10, 1000, 20)));
    retention_policy policy;
    policy.max_rows = 4;
    REQUIRE(db->apply_retention("market_data", policy, 0));
  }
  auto db = history_db::open(t.str());
  REQUIRE(db);
  CHECK(db->usage("market_data").rows == 4);
  CHECK(db->usage("market_data").bytes == 80);
  retention_policy policy;
  policy.max_age_us = 0;
  CHECK(*db->apply_retention("market_data", policy, 9000) == 2);
  CHECK(seqs(*db->after("market_data", "e1", 0, 100)) == seq_list{9, 10});
  CHECK(*db->apply_retention("system", policy, 9000) == 0);
}

TEST_CASE("a batch leaves each channel it touches within its policy, in its transaction") {
  temp_dir t;
  auto db = history_db::open(t.str());
  REQUIRE(db);
  retention_policies retention;
  retention["market_data"].max_rows = 4;
  retention["notifications"].max_rows = 1; // not in the batch: untouched
  auto batch = make_batch("market_data", "e1", 1, 10, 1000, 20);
  auto system = make_batch("system", "e1", 1, 3, 1000, 20); // no policy: keeps everything
  batch.insert(batch.end(), system.begin(), system.end());
  REQUIRE(db->write_batch(batch, retention, 0));
  CHECK(seqs(*db->after("market_data", "e1", 0, 100)) == seq_list{7, 8, 9, 10});
  CHECK(db->usage("market_data").rows == 4);
  CHECK(db->usage("market_data").bytes == 80);
  CHECK(db->usage("system").rows == 3);
  CHECK(*db->covers("market_data", "e1", 6));
  CHECK_FALSE(*db->covers("market_data", "e1", 5));
}
