#include "actors/result_cache.hpp"

#include <doctest/doctest.h>

using rtd::result_cache;
using namespace std::chrono_literals;

TEST_CASE("cache counts hits and misses") {
  result_cache cache{10, 1h};
  auto t = result_cache::clock::now();
  CHECK_FALSE(cache.find("a", t));
  cache.insert("a", "1", t);
  CHECK(cache.find("a", t) == std::string{"1"});
  CHECK(cache.hits() == 1);
  CHECK(cache.misses() == 1);
  CHECK(cache.size() == 1);
}

TEST_CASE("cache evicts the least recently used entry") {
  result_cache cache{2, 1h};
  auto t = result_cache::clock::now();
  cache.insert("a", "1", t);
  cache.insert("b", "2", t);
  CHECK(cache.find("a", t)); // b is now the least recently used
  cache.insert("c", "3", t);
  CHECK(cache.evictions() == 1);
  CHECK(cache.find("a", t));
  CHECK_FALSE(cache.find("b", t));
  CHECK(cache.find("c", t));
}

TEST_CASE("cache entries expire after the ttl") {
  result_cache cache{10, 1s};
  auto t = result_cache::clock::now();
  cache.insert("a", "1", t);
  CHECK(cache.find("a", t + 1s));
  CHECK_FALSE(cache.find("a", t + 1001ms));
  CHECK(cache.size() == 0);
}

TEST_CASE("a cache of size zero keeps nothing") {
  result_cache cache{0, 1h};
  auto t = result_cache::clock::now();
  cache.insert("a", "1", t);
  CHECK_FALSE(cache.find("a", t));
}
