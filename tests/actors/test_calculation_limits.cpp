// The calculation service's resources and edges: where jobs run (small ones at once, heavy
// ones in chunks on the executor), the node-wide caps on calculations and on their memory,
// shutdown ending every job, exactly one reply to every cancel, and the result cache's sweep.
#include "actors/calculation_admission.hpp"
#include "tests/actors/calc_fixture.hpp"

#include <algorithm>

using namespace rtd;
using namespace rtd::test;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> errors_of(const std::vector<rapidjson::Document>& frames) {
  std::vector<std::string> out;
  for (const auto& f : frames)
    if (str(f, "type") == "error")
      out.push_back(str(f, "code"));
  return out;
}

/// "started,completed,...": what a failed check prints.
std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items)
    out += (out.empty() ? "" : ",") + i;
  return out;
}

calculation_service_config with(calculation_service_config config) {
  return calc_fixture::small_chunks(config);
}

struct capped_fixture : calc_fixture {
  capped_fixture() : calc_fixture(with({4, 2})) {}
};

struct small_memory_fixture : calc_fixture {
  /// Room for one streaming Monte Carlo (about 1.5 MiB) and small jobs, not for two.
  small_memory_fixture() : calc_fixture(with({4, 256, 2 << 20})) {}
};

/// Every job heavy, and its task one chunk.
struct one_chunk_fixture : calc_fixture {
  static calculation_service_config config() {
    calculation_service_config c;
    c.inline_work = 0;
    c.chunk_work = 1'000'000'000;
    return c;
  }
  one_chunk_fixture() : calc_fixture(config()) {}
};

struct short_ttl_fixture : calc_fixture {
  static calculation_service_config config() {
    calculation_service_config c;
    c.cache_ttl = 1500ms;
    c.cache_sweep = 1s;
    return with(c);
  }
  short_ttl_fixture() : calc_fixture(config()) {}
};

} // namespace

TEST_CASE_FIXTURE(calc_fixture,
                  "a small calculation runs at once: started and result in one write") {
  auto c = connect();
  send(c, npv_request("a"));
  run();
  CHECK(executor->ran() == 0);
  CHECK(statuses(c.sink->take()) == std::vector<std::string>{"started", "completed"});
  CHECK(c.sink->take_batches() == std::vector<std::size_t>{2});
}

TEST_CASE_FIXTURE(calc_fixture, "a heavy calculation runs in chunks on the executor") {
  auto c = connect();
  send(c, monte_carlo_request("mc", 200'000)); // 600,000 units: over the inline 100,000
  sched.run();
  CHECK(statuses(c.sink->take()) == std::vector<std::string>{"started"});
  CHECK(executor->queued() == 1); // one chunk at a time
  run();
  CHECK(executor->ran() >= 600'000 / (3 * 4096));
  CHECK(statuses(c.sink->take()).back() == "completed");
  CHECK(stats().memory_bytes == 0); // given back with the task
}

TEST_CASE_FIXTURE(calc_fixture, "cancel takes effect while a chunk is still running") {
  auto c = connect();
  send(c, monte_carlo_request("mc", 10'000'000));
  sched.run();
  REQUIRE(executor->queued() == 1);
  send(c, protocol::cancel_request{"mc"}, protocol::correlation_id{std::string{"stop"}});
  sched.run(); // the chunk has not run
  auto frames = c.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"started", "cancelled"});
  CHECK(str(frames[1], "id") == "stop");
  CHECK(stats().running == 0);
  CHECK(stats().memory_bytes > 0); // the running chunk still holds it
  run();                           // the chunk ends; its tick finds no job
  CHECK(c.sink->pending() == 0);
  CHECK(stats().memory_bytes == 0);
}

TEST_CASE_FIXTURE(calc_fixture, "a second cancel of the same job is answered once, not_found") {
  auto c = connect();
  send(c, monte_carlo_request("mc", 10'000'000));
  sched.run();
  send(c, protocol::cancel_request{"mc"}, protocol::correlation_id{std::string{"c1"}});
  send(c, protocol::cancel_request{"mc"}, protocol::correlation_id{std::string{"c2"}});
  run();
  auto frames = c.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"started", "error", "cancelled"});
  CHECK(str(frames[1], "code") == "not_found");
  CHECK(str(frames[1], "id") == "c2");
  CHECK(str(frames[1], "calculation_id") == "mc");
  CHECK(str(frames[2], "id") == "c1");
  send(c, protocol::cancel_request{"mc"}, protocol::correlation_id{std::string{"c3"}});
  run();
  frames = c.sink->take();
  REQUIRE(errors_of(frames) == std::vector<std::string>{"not_found"});
  CHECK(str(frames[0], "id") == "c3");
}

TEST_CASE_FIXTURE(one_chunk_fixture, "a cancel that the job's end overtakes gets not_found") {
  auto c = connect();
  send(c, npv_request("quick"));
  sched.run();
  REQUIRE(executor->run_one()); // the whole task; the job has yet to hear of it
  send(c, protocol::cancel_request{"quick"}, protocol::correlation_id{std::string{"late"}});
  // The session and the service hand the cancel on before the job runs: it reaches the job
  // behind the news of its end, and the job ends completed.
  REQUIRE(sched.prioritize(c.actor));
  sched.run_once();
  REQUIRE(sched.prioritize(service));
  sched.run_once();
  run();
  auto frames = c.sink->take();
  auto s = statuses(frames);
  std::sort(s.begin(), s.end()); // the error is direct, the updates come through the channel
  REQUIRE(joined(s) == "completed,error,started");
  for (const auto& f : frames)
    if (str(f, "type") == "error") {
      CHECK(str(f, "code") == "not_found");
      CHECK(str(f, "id") == "late");
      CHECK(str(f, "message").find("ended before") != std::string::npos);
    }
  CHECK(stats().running == 0);
}

TEST_CASE_FIXTURE(capped_fixture, "the node-wide cap refuses calculations over it") {
  auto a = connect();
  auto b = connect();
  send(a, monte_carlo_request("mc", 10'000'000));
  send(b, monte_carlo_request("mc", 10'000'000));
  send(b, monte_carlo_request("mc2", 10'000'000), protocol::correlation_id{std::int64_t{3}});
  sched.run();
  auto frames = b.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"error", "started"});
  CHECK(str(frames[0], "code") == "too_many_calculations");
  CHECK(str(frames[0], "calculation_id") == "mc2");
  auto s = stats();
  CHECK(s.running == 2);
  CHECK(s.refused == 1);
  send(a, protocol::cancel_request{"mc"});
  run();
  send(b, npv_request("after")); // room again
  run();
  CHECK(statuses(b.sink->take()).back() == "completed");
  send(b, protocol::cancel_request{"mc"});
  run();
}

TEST_CASE_FIXTURE(calc_fixture, "Monte Carlo reserves its samples' memory and gives it back") {
  auto c = connect();
  auto r = monte_carlo_request("mc", 10'000'000);
  send(c, r);
  sched.run();
  auto stored = cost_of(r, 0, finance::monte_carlo_mode::stored).bytes;
  CHECK(stats().memory_bytes == stored); // 80 MB of samples fit in the default 128 MiB
  auto second = monte_carlo_request("mc2", 10'000'000);
  second.parameters.seed = 8;
  send(c, second); // does not fit stored any more: streams
  sched.run();
  CHECK(stats().memory_bytes ==
        stored + cost_of(second, 0, finance::monte_carlo_mode::streaming).bytes);
  send(c, protocol::cancel_request{"mc"});
  send(c, protocol::cancel_request{"mc2"});
  run();
  CHECK(stats().memory_bytes == 0);
}

TEST_CASE_FIXTURE(small_memory_fixture, "a calculation over the memory budget is refused") {
  auto c = connect();
  send(c, monte_carlo_request("mc", 10'000'000));
  auto other = monte_carlo_request("mc2", 10'000'000);
  other.parameters.seed = 8;
  send(c, other, protocol::correlation_id{std::string{"r"}});
  send(c, npv_request("small")); // small jobs still fit
  sched.run();
  auto frames = c.sink->take();
  REQUIRE(joined(statuses(frames)) == "error,started,started,completed");
  CHECK(str(frames[0], "code") == "too_many_calculations");
  CHECK(str(frames[0], "message").find("MiB") != std::string::npos);
  CHECK(stats().refused == 1);
  send(c, protocol::cancel_request{"mc"});
  run();
  auto s = statuses(c.sink->take());
  CHECK(s.back() == "cancelled");
  CHECK(stats().memory_bytes == 0);
}

TEST_CASE_FIXTURE(calc_fixture, "shutdown ends every job, wherever its chunks are") {
  auto c = connect();
  send(c, monte_carlo_request("a", 10'000'000));
  auto b = monte_carlo_request("b", 10'000'000);
  b.parameters.seed = 8;
  send(c, b);
  sched.run();
  REQUIRE(stats().running == 2);
  REQUIRE(executor->queued() == 2);
  auto before = sys.registry().running();
  kill(service); // what the node does at shutdown
  service = nullptr;
  CHECK(sys.registry().running() == before - 3); // the service and both jobs
  executor->run_queued();
  sched.run();
  CHECK(executor->queued() == 0); // no job was left to ask for another chunk
  CHECK(statuses(c.sink->take()) == std::vector<std::string>{"started", "started"});
}

TEST_CASE_FIXTURE(short_ttl_fixture, "expired results leave the cache by the sweep alone") {
  auto c = connect();
  send(c, npv_request("a"));
  run();
  auto s = stats();
  CHECK(s.cache_entries == 1);
  CHECK(s.cache_bytes > 0);
  advance(1s); // 1 s old: still fresh
  CHECK(stats().cache_entries == 1);
  advance(1s); // 2 s old: gone, though nobody looked it up
  s = stats();
  CHECK(s.cache_entries == 0);
  CHECK(s.cache_expired == 1);
  CHECK(s.cache_bytes == 0);
  CHECK(s.cache_hits + s.cache_misses == 1);
  CHECK_FALSE(sched.has_pending_timeout()); // an empty cache needs no sweep
  send(c, npv_request("b"));
  run();
  CHECK(sched.has_pending_timeout()); // a new entry brings the sweep back
}

/// Stands in for the calculations channel: remembers who sent the first publication (a
/// job), then passes everything on to the real channel.
caf::behavior publication_tap(caf::event_based_actor* self, channel_actor channel,
                              std::shared_ptr<caf::actor> first_sender) {
  return {[=](calculation_publication& p) {
    if (!*first_sender)
      *first_sender = caf::actor_cast<caf::actor>(self->current_sender());
    self->send(caf::actor_cast<caf::actor>(channel), std::move(p));
  }};
}

TEST_CASE_FIXTURE(node_fixture, "a job that dies without its final update ends failed") {
  auto executor = std::make_shared<manual_executor>();
  auto job = std::make_shared<caf::actor>();
  auto tap = sys.spawn(publication_tap, channel_of(channels, protocol::channel::calculations), job);
  auto service = sys.spawn(calculation_service, calc_fixture::small_chunks(),
                           caf::actor_cast<channel_actor>(tap),
                           std::shared_ptr<calculation_executor>{executor}, nullptr);
  context->calculations = service;
  auto c = connect();
  send(c, monte_carlo_request("mc", 10'000'000));
  run();
  REQUIRE(*job); // it published `started`
  caf::anon_send_exit(*job, caf::exit_reason::unhandled_exception);
  run();
  executor->run_queued();
  run();
  auto frames = c.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"started", "failed"});
  CHECK(str(frames[1]["error"], "code") == "internal");
  CHECK(str(frames[1]["error"], "message") == "the calculation stopped unexpectedly");
  auto s = ask<calculation_stats>(service, caf::get_atom::value);
  CHECK(s.running == 0);
  CHECK(s.failed == 1);
  CHECK(s.memory_bytes == 0);
  kill(service);
  kill(tap);
}
