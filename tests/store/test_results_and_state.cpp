#include "store/history_db.hpp"
#include "tests/store/support.hpp"

#include <doctest/doctest.h>

using namespace rtd::store;
using rtd::store::test::temp_dir;

namespace {

history_db open_db(const temp_dir& t, const history_options& options = {}) {
  auto db = history_db::open(t.str(), options);
  REQUIRE(db);
  return std::move(db).value();
}

bool has(history_db& db, const std::string& key) {
  return db.get_result(key, 0, 1000)->has_value();
}

} // namespace

TEST_CASE("a stored result is found until its ttl has passed") {
  temp_dir t;
  auto db = open_db(t);
  REQUIRE(db.put_result("npv:1", R"({"npv":1})", 1000));
  CHECK(db.get_result("npv:1", 1000, 500)->value() == R"({"npv":1})");
  CHECK(db.get_result("npv:1", 1500, 500)->has_value());
  CHECK_FALSE(db.get_result("npv:1", 1501, 500)->has_value());
  CHECK_FALSE(db.get_result("npv:2", 1000, 500)->has_value());
}

TEST_CASE("a result stored again replaces the old one") {
  temp_dir t;
  auto db = open_db(t);
  REQUIRE(db.put_result("k", "old", 0));
  REQUIRE(db.put_result("k", "newer", 10));
  CHECK(db.get_result("k", 10, 0)->value() == "newer");
  CHECK(db.results_usage().rows == 1);
  CHECK(db.results_usage().bytes == 6);
}

TEST_CASE("the least recently stored result goes first when the entries are full") {
  temp_dir t;
  history_options options;
  options.max_results = 2;
  auto db = open_db(t, options);
  REQUIRE(db.put_result("a", "1", 0));
  REQUIRE(db.put_result("b", "2", 1));
  CHECK(has(db, "a")); // reading does not make it recent
  REQUIRE(db.put_result("c", "3", 2));
  CHECK_FALSE(has(db, "a"));
  CHECK(has(db, "b"));
  CHECK(has(db, "c"));
  CHECK(db.results_usage().rows == 2);
}

TEST_CASE("results are bounded in bytes, key included") {
  temp_dir t;
  history_options options;
  options.max_result_bytes = 30;
  auto db = open_db(t, options);
  REQUIRE(db.put_result("k1", std::string(8, 'x'), 0)); // 10 bytes
  REQUIRE(db.put_result("k2", std::string(8, 'x'), 1));
  REQUIRE(db.put_result("k3", std::string(8, 'x'), 2));
  CHECK(db.results_usage().bytes == 30);
  REQUIRE(db.put_result("k4", std::string(18, 'x'), 3)); // 20 bytes: two must go
  CHECK_FALSE(has(db, "k1"));
  CHECK_FALSE(has(db, "k2"));
  CHECK(has(db, "k3"));
  CHECK(has(db, "k4"));
  CHECK(db.results_usage().bytes == 30);
  REQUIRE(db.put_result("huge", std::string(27, 'x'), 4)); // 31 bytes on its own: not kept
  CHECK_FALSE(has(db, "huge"));
  CHECK(has(db, "k3"));
}

TEST_CASE("expired results are erased") {
  temp_dir t;
  auto db = open_db(t);
  REQUIRE(db.put_result("a", "1", 100));
  REQUIRE(db.put_result("b", "2", 200));
  REQUIRE(db.put_result("c", "3", 300));
  CHECK(*db.erase_expired(300, 100) == 1); // a is 200 old; b exactly 100, still fresh
  CHECK(db.results_usage().rows == 2);
  CHECK(*db.erase_expired(300, 100) == 0);
  CHECK(*db.erase_expired(1000, 0) == 2);
  CHECK(db.results_usage().rows == 0);
}

TEST_CASE("results keys may be long, and results survive a reopen") {
  temp_dir t;
  std::string key(100'000, 'k');
  {
    auto db = open_db(t);
    REQUIRE(db.put_result(key, "long", 5));
  }
  auto db = open_db(t);
  CHECK(db.results_usage().rows == 1);
  CHECK(db.results_usage().bytes == key.size() + 4);
  CHECK(db.get_result(key, 5, 0)->value() == "long");
  CHECK_FALSE(db.get_result(key.substr(1), 5, 0)->has_value());
}

TEST_CASE("the fresh results are listed oldest first, without the expired") {
  temp_dir t;
  {
    auto db = open_db(t);
    REQUIRE(db.put_result("b", "2", 200));
    REQUIRE(db.put_result("old", "0", 10));
    REQUIRE(db.put_result("a", "1", 100));
  }
  auto db = open_db(t);
  auto fresh = db.fresh_results(250, 150);
  REQUIRE(fresh);
  REQUIRE(fresh->size() == 2);
  CHECK((*fresh)[0].key == "a");
  CHECK((*fresh)[0].result == "1");
  CHECK((*fresh)[0].stored_us == 100);
  CHECK((*fresh)[1].key == "b");
  CHECK(db.fresh_results(250, 1000)->size() == 3);
  CHECK(db.fresh_results(250, 10)->empty());
}

TEST_CASE("state values are bytes, replaced by name and kept across a reopen") {
  temp_dir t;
  std::string bytes{"a\0b\xff", 4};
  {
    auto db = open_db(t);
    CHECK_FALSE(db.get_state("market")->has_value());
    REQUIRE(db.put_state("market", "first"));
    REQUIRE(db.put_state("market", bytes));
    REQUIRE(db.put_state("empty", ""));
  }
  auto db = open_db(t);
  CHECK(db.get_state("market")->value() == bytes);
  CHECK(db.get_state("empty")->value().empty());
}

TEST_CASE("of one batch only the newest results that fit are written, each key once") {
  temp_dir t;
  history_options options;
  options.max_results = 2;
  options.max_result_bytes = 30;
  auto db = open_db(t, options);
  std::vector<stored_result> batch{{"a", "old", 0},
                                   {"b", "2", 1},
                                   {"huge", std::string(40, 'x'), 2}, // never fits
                                   {"a", "newer", 3}};
  auto kept = batch;
  db.keep_storable(kept);
  REQUIRE(kept.size() == 2);
  CHECK(kept[0].key == "b");
  CHECK(kept[1].result == "newer");
  REQUIRE(db.put_results(batch));
  CHECK(db.results_usage().rows == 2);
  CHECK(db.get_result("a", 3, 10)->value() == "newer");
  CHECK(has(db, "b"));
  CHECK_FALSE(has(db, "huge"));
  // Bounded in bytes too: the newest 24 bytes (three of 8) leave the fourth out.
  options.max_results = 10;
  options.max_result_bytes = 24;
  temp_dir t2;
  auto small = open_db(t2, options);
  REQUIRE(small.put_results({{"k1", std::string(6, 'x'), 0},
                             {"k2", std::string(6, 'x'), 1},
                             {"k3", std::string(6, 'x'), 2},
                             {"k4", std::string(6, 'x'), 3}}));
  CHECK(small.results_usage().rows == 3);
  CHECK_FALSE(has(small, "k1"));
  CHECK(has(small, "k4"));
}
