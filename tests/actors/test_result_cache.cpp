#include "actors/result_cache.hpp"

#include <doctest/doctest.h>

using rtd::result_cache;
using namespace std::chrono_literals;

namespace {

result_cache::key k(const char* name) {
  return result_cache::key_of(name);
}

result_cache::limits entries(std::size_t n, result_cache::clock::duration ttl = 1h) {
  return {n, SIZE_MAX, ttl};
}

} // namespace

TEST_CASE("cache keys are SHA-256 digests of the canonical key") {
  auto abc = result_cache::key_of("abc"); // FIPS 180-2's first example
  CHECK(abc[0] == 0xba);
  CHECK(abc[1] == 0x78);
  CHECK(abc[31] == 0xad);
  CHECK(result_cache::key_of(std::string(100000, 'x')) != result_cache::key_of("x"));
  CHECK(result_cache::key_of(std::string("a\0b", 3)) != result_cache::key_of("a"));
}

TEST_CASE("cache counts hits and misses") {
  result_cache cache{entries(10)};
  auto t = result_cache::clock::now();
  CHECK_FALSE(cache.find(k("a"), t));
  cache.insert(k("a"), "1", t);
  CHECK(cache.find(k("a"), t) == std::string{"1"});
  CHECK(cache.hits() == 1);
  CHECK(cache.misses() == 1);
  CHECK(cache.size() == 1);
}

TEST_CASE("cache evicts the least recently used entry") {
  result_cache cache{entries(2)};
  auto t = result_cache::clock::now();
  cache.insert(k("a"), "1", t);
  cache.insert(k("b"), "2", t);
  CHECK(cache.find(k("a"), t)); // b is now the least recently used
  cache.insert(k("c"), "3", t);
  CHECK(cache.evictions() == 1);
  CHECK(cache.find(k("a"), t));
  CHECK_FALSE(cache.find(k("b"), t));
  CHECK(cache.find(k("c"), t));
}

TEST_CASE(
    "cache bytes: every entry is charged, the bound evicts, an oversized result is not kept") {
  std::string big(1000, 'r');
  auto charge = big.capacity() + result_cache::entry_overhead;
  result_cache cache{{100, 2 * charge, 1h}};
  auto t = result_cache::clock::now();
  cache.insert(k("a"), big, t);
  cache.insert(k("b"), big, t);
  CHECK(cache.bytes() == 2 * charge);
  CHECK(cache.size() == 2);
  cache.insert(k("c"), big, t); // a third would pass the byte bound: a goes
  CHECK(cache.bytes() == 2 * charge);
  CHECK(cache.evictions() == 1);
  CHECK_FALSE(cache.find(k("a"), t));
  cache.insert(k("huge"), std::string(3 * charge, 'h'), t);
  CHECK_FALSE(cache.find(k("huge"), t));
  CHECK(cache.size() == 2); // nothing was evicted for it
  CHECK(cache.erase(k("b")));
  CHECK_FALSE(cache.erase(k("b")));
  CHECK(cache.erase(k("c")));
  CHECK(cache.bytes() == 0);
}

TEST_CASE("inserting a key again replaces its entry and its charge") {
  result_cache cache{entries(10)};
  auto t = result_cache::clock::now();
  cache.insert(k("a"), std::string(500, 'x'), t);
  cache.insert(k("a"), "1", t);
  CHECK(cache.size() == 1);
  CHECK(cache.bytes() == std::string{"1"}.capacity() + result_cache::entry_overhead);
  CHECK(cache.find(k("a"), t) == std::string{"1"});
}

TEST_CASE("cache entries expire after the ttl, on lookup or by expire() alone") {
  result_cache cache{entries(10, 1s)};
  auto t = result_cache::clock::now();
  cache.insert(k("a"), "1", t);
  cache.insert(k("b"), "2", t + 500ms);
  CHECK(cache.find(k("a"), t + 1s));
  CHECK(cache.next_expiry() == t + 1s);
  CHECK(cache.expire(t + 1s) == 0);
  CHECK(cache.expire(t + 1001ms) == 1); // a, though it was used, is older than the ttl
  CHECK(cache.size() == 1);
  CHECK_FALSE(cache.find(k("b"), t + 1501ms));
  CHECK(cache.expired() == 2);
  CHECK(cache.size() == 0);
  CHECK(cache.bytes() == 0);
  CHECK_FALSE(cache.next_expiry());
}

TEST_CASE("a cache of size zero keeps nothing") {
  result_cache cache{entries(0)};
  auto t = result_cache::clock::now();
  cache.insert(k("a"), "1", t);
  CHECK_FALSE(cache.find(k("a"), t));
  CHECK(cache.bytes() == 0);
}
