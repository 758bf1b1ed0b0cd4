// --redis URLs: what is accepted, normalised, and what is refused with which words.
#include "redis/url.hpp"

#include <doctest/doctest.h>

using namespace rtd::redis;

namespace {

endpoint accepted(std::string_view url) {
  INFO(url);
  auto parsed = parse_url(url);
  if (auto e = std::get_if<url_error>(&parsed))
    FAIL(e->message);
  return std::get<endpoint>(parsed);
}

std::string refused(std::string_view url) {
  INFO(url);
  auto parsed = parse_url(url);
  REQUIRE(std::holds_alternative<url_error>(parsed));
  return std::get<url_error>(parsed).message;
}

bool says(const std::string& message, std::string_view what) {
  INFO(message);
  return message.find(what) != std::string::npos;
}

} // namespace

TEST_CASE("host, port and database; Redis's defaults when absent") {
  auto e = accepted("redis://cache.internal:6380/2");
  CHECK(e.host == "cache.internal");
  CHECK(e.port == 6380);
  CHECK(e.db == 2);
  CHECK(e.url() == "redis://cache.internal:6380/2");

  auto plain = accepted("redis://localhost");
  CHECK(plain.port == 6379);
  CHECK(plain.db == 0);
  CHECK(plain.url() == "redis://localhost:6379/0");

  CHECK(accepted("redis://127.0.0.1:1").port == 1);
  CHECK(accepted("redis://127.0.0.1:65535/0").port == 65535);
  CHECK(accepted("redis://h/2147483647").db == 2147483647);
  CHECK(accepted("redis://a-b.c1/15").host == "a-b.c1");
}

TEST_CASE("IPv6 in brackets, written back in brackets") {
  auto e = accepted("redis://[::1]:7000/3");
  CHECK(e.host == "::1");
  CHECK(e.port == 7000);
  CHECK(e.url() == "redis://[::1]:7000/3");
  CHECK(accepted("redis://[fe80::1]").port == 6379);
  CHECK(says(refused("redis://::1:7000"), "IPv6 address in brackets"));
  CHECK(says(refused("redis://[::1"), "unclosed"));
  CHECK(says(refused("redis://[nothex]:1"), "invalid IPv6"));
  CHECK(says(refused("redis://[::1]x"), "after the bracketed host"));
}

TEST_CASE("rediss:// is refused because hiredis 0.14 has no TLS") {
  auto message = refused("rediss://cache:6380");
  CHECK(says(message, "rediss://"));
  CHECK(says(message, "no TLS"));
}

TEST_CASE("other schemes are refused without echoing the rest of the URL") {
  auto message = refused("http://user:secret@cache:6379");
  CHECK(says(message, "redis://host:port[/db]"));
  CHECK(says(message, "http://"));
  CHECK_FALSE(says(message, "secret"));
  CHECK(says(refused("cache:6379"), "without a scheme"));
  CHECK(says(refused("REDIS://cache"), "redis://host:port[/db]"));
  CHECK(says(refused("unix:///run/redis.sock"), "unix://"));
  CHECK(says(refused(""), "without a scheme"));
}

TEST_CASE("a password in the URL is refused, pointing at the file and the variable") {
  auto message = refused("redis://:secret@cache:6379");
  CHECK(says(message, "--redis-password-file"));
  CHECK(says(message, "REDIS_PASSWORD"));
  CHECK_FALSE(says(message, "secret@"));
  CHECK(says(refused("redis://user@cache"), "must not hold a user or password"));
}

TEST_CASE("bad hosts") {
  for (auto url : {"redis://", "redis://:6379", "redis://-cache", "redis://cache-", "redis://a..b",
                   "redis://c_a", "redis://999.1.1.1", "redis://1.2.3", "redis://ca che"})
    CHECK(says(refused(url), "invalid host"));
  CHECK(says(refused("redis://" + std::string(64, 'a')), "invalid host"));
  CHECK(accepted("redis://" + std::string(63, 'a')).host.size() == 63);
}

TEST_CASE("bad ports") {
  for (auto url : {"redis://h:", "redis://h:0", "redis://h:65536", "redis://h:-1", "redis://h:+80",
                   "redis://h:80x", "redis://h: 80", "redis://h:99999999999"})
    CHECK(says(refused(url), "invalid port"));
}

TEST_CASE("bad databases") {
  for (auto url : {"redis://h/", "redis://h/x", "redis://h/-1", "redis://h/2147483648",
                   "redis://h/1/2", "redis://h:1/ 1"})
    CHECK(says(refused(url), "invalid database"));
}

TEST_CASE("no query, no fragment") {
  CHECK(says(refused("redis://h:1/0?timeout=1"), "no query or fragment"));
  CHECK(says(refused("redis://h#x"), "no query or fragment"));
}
