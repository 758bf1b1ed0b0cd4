// The node's calculation resources: the memory budget's reservations and the worker pool
// (real threads, synchronised with futures, never with sleeps).
#include "actors/calculation_pool.hpp"
#include "actors/memory_budget.hpp"

#include <doctest/doctest.h>

#include <future>
#include <set>
#include <thread>

#include <sys/resource.h>
#include <unistd.h>

using namespace rtd;

TEST_CASE("memory reservations take from the budget and give back when destroyed") {
  auto budget = std::make_shared<memory_budget>(100);
  auto a = memory_budget::reserve(budget, 60);
  REQUIRE(a);
  CHECK(a->bytes() == 60);
  CHECK(budget->used() == 60);
  CHECK_FALSE(memory_budget::reserve(budget, 41)); // over the limit: refused, nothing taken
  CHECK(budget->used() == 60);
  auto b = memory_budget::reserve(budget, 40); // exactly the rest
  REQUIRE(b);
  CHECK(budget->used() == 100);
  memory_budget::reservation moved = std::move(*b);
  CHECK(budget->used() == 100); // a move transfers, it does not release
  b.reset();
  CHECK(budget->used() == 100);
  moved = memory_budget::reservation{};
  CHECK(budget->used() == 60);
  a.reset();
  CHECK(budget->used() == 0);
}

TEST_CASE("a reservation may outlive the owner of the budget") {
  auto budget = std::make_shared<memory_budget>(10);
  auto r = memory_budget::reserve(budget, 10);
  std::weak_ptr<memory_budget> watch = budget;
  budget.reset();
  CHECK_FALSE(watch.expired());
  r.reset();
  CHECK(watch.expired());
}

TEST_CASE("the pool runs chunks on its own threads, at the lowered priority") {
  calculation_pool pool{{2, 7}};
  CHECK(pool.threads() == 2);
  auto own = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  std::vector<std::future<std::pair<pid_t, int>>> results;
  for (int i = 0; i < 8; ++i) {
    auto done = std::make_shared<std::promise<std::pair<pid_t, int>>>();
    results.push_back(done->get_future());
    pool.submit([done] {
      auto tid = gettid();
      done->set_value({tid, getpriority(PRIO_PROCESS, static_cast<id_t>(tid))});
    });
  }
  std::set<pid_t> threads;
  for (auto& r : results) {
    auto [tid, nice] = r.get();
    CHECK(tid != gettid());
    CHECK(nice == std::min(own + 7, 19));
    threads.insert(tid);
  }
  CHECK(threads.size() <= 2);
}

TEST_CASE("stopping the pool drops the chunks not started and waits for the running one") {
  calculation_pool pool{{1, 0}};
  std::promise<void> entered, release;
  auto release_future = release.get_future().share();
  bool ran_first = false;
  bool ran_second = false;
  pool.submit([&, release_future] {
    entered.set_value();
    release_future.wait();
    ran_first = true;
  });
  pool.submit([&] { ran_second = true; });
  entered.get_future().wait();
  CHECK(pool.queued() == 1);
  auto stopped = std::async(std::launch::async, [&] { pool.stop(); });
  while (pool.queued() != 0) // stop() has dropped it; the worker is still in the first
    std::this_thread::yield();
  release.set_value();
  stopped.get();
  CHECK(ran_first);
  CHECK_FALSE(ran_second);
  pool.submit([&] { ran_second = true; }); // after stop: dropped
  CHECK_FALSE(ran_second);
}
