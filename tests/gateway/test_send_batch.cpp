#include "gateway/send_batch.hpp"

#include <doctest/doctest.h>

#include <cerrno>
#include <memory>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

using rtd::batched_writer;
using rtd::send_batch;

namespace {

/// One end of a socket pair that writes `pieces` (each its own buffer) when asked.
class fake_writer : public batched_writer {
public:
  explicit fake_writer(std::vector<std::string> pieces) : pieces_(std::move(pieces)) {
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds_) == 0);
    ::fcntl(fds_[0], F_SETFL, O_NONBLOCK);
    ::fcntl(fds_[1], F_SETFL, O_NONBLOCK);
  }
  ~fake_writer() {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }

  int descriptor() const override { return fds_[0]; }
  std::size_t gather(iovec* buffers, std::size_t max) override {
    std::size_t n = 0;
    for (; n < pieces_.size() && n < max; ++n)
      buffers[n] = {pieces_[n].data(), pieces_[n].size()};
    return n;
  }
  void sent(long result) override { results.push_back(result); }

  /// What the other end can read now.
  std::string received() const {
    std::string all;
    char buffer[65536];
    for (ssize_t n; (n = ::read(fds_[1], buffer, sizeof buffer)) > 0;)
      all.append(buffer, static_cast<std::size_t>(n));
    return all;
  }

  /// Fills the socket's buffers until the kernel takes no more.
  void fill() const {
    std::string block(65536, 'x');
    while (::send(fds_[0], block.data(), block.size(), MSG_DONTWAIT) > 0) {
    }
  }

  std::vector<long> results;

private:
  std::vector<std::string> pieces_;
  int fds_[2];
};

} // namespace

TEST_CASE("outside a scope, or with batching off, a write is not kept") {
  send_batch batch{16};
  REQUIRE(batch.enabled()); // io_uring works on the machines rtd is built and tested on
  fake_writer w{{"now"}};
  CHECK(batch.defer(w) == 0);

  send_batch off{0};
  CHECK_FALSE(off.enabled());
  send_batch::scope open{off};
  CHECK(off.defer(w) == 0);
  CHECK(w.results.empty());
}

TEST_CASE("writes wait for the end of the outermost scope, then go out in order") {
  send_batch batch{16};
  REQUIRE(batch.enabled());
  fake_writer one{{"first"}};
  fake_writer two{{"head|", "payload|", "tail"}}; // several buffers: one sendmsg
  {
    send_batch::scope outer{batch};
    {
      send_batch::scope inner{batch};
      CHECK(batch.defer(one) != 0);
      CHECK(batch.defer(two) != 0);
    }
    CHECK(one.received().empty()); // the inner scope's end submits nothing
    CHECK(one.results.empty());
  }
  CHECK(one.results == std::vector<long>{5});
  CHECK(one.received() == "first");
  CHECK(two.results == std::vector<long>{17});
  CHECK(two.received() == "head|payload|tail");
}

TEST_CASE("a cancelled write is neither sent nor reported") {
  send_batch batch{16};
  REQUIRE(batch.enabled());
  fake_writer kept{{"kept"}};
  fake_writer dropped{{"dropped"}};
  {
    send_batch::scope s{batch};
    batch.defer(kept);
    batch.cancel(batch.defer(dropped));
  }
  CHECK(kept.received() == "kept");
  CHECK(dropped.results.empty());
  CHECK(dropped.received().empty());
}

TEST_CASE("a socket with a full buffer reports EAGAIN instead of blocking") {
  send_batch batch{16};
  REQUIRE(batch.enabled());
  fake_writer full{{"more"}};
  full.fill();
  {
    send_batch::scope s{batch};
    batch.defer(full);
  }
  CHECK(full.results == std::vector<long>{-EAGAIN});
}

TEST_CASE("more writes than a submission holds go out in several") {
  send_batch batch{4};
  REQUIRE(batch.enabled());
  std::vector<std::unique_ptr<fake_writer>> writers;
  for (int i = 0; i < 10; ++i)
    writers.push_back(std::make_unique<fake_writer>(std::vector<std::string>{std::to_string(i)}));
  {
    send_batch::scope s{batch};
    for (auto& w : writers)
      CHECK(batch.defer(*w) != 0);
  }
  for (int i = 0; i < 10; ++i) {
    CHECK(writers[i]->results == std::vector<long>{1});
    CHECK(writers[i]->received() == std::to_string(i));
  }
}

TEST_CASE("a writer told of its send mid-scope writes at once, not into the next submission") {
  send_batch batch{1}; // the second write submits the first while the scope is open
  REQUIRE(batch.enabled());
  struct again : fake_writer {
    using fake_writer::fake_writer;
    send_batch* batch = nullptr;
    std::size_t second_ticket = 1;
    void sent(long result) override {
      fake_writer::sent(result);
      second_ticket = batch->defer(*this);
    }
  } first{{"x"}};
  first.batch = &batch;
  fake_writer second{{"y"}};
  {
    send_batch::scope s{batch};
    batch.defer(first);
    batch.defer(second);
    CHECK(first.results == std::vector<long>{1});
    CHECK(first.second_ticket == 0);
    CHECK(second.results.empty());
  }
  CHECK(second.results == std::vector<long>{1});
}
