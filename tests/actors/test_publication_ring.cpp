#include "actors/publication_ring.hpp"

#include <doctest/doctest.h>

using rtd::make_frame;
using rtd::publication_ring;

namespace {

void fill(publication_ring& ring, std::uint64_t from, std::uint64_t to) {
  for (auto seq = from; seq <= to; ++seq)
    ring.push({seq, {}, make_frame(std::to_string(seq))});
}

std::vector<std::uint64_t> seqs_after(const publication_ring& ring, std::uint64_t since) {
  std::vector<std::uint64_t> out;
  ring.for_each_after(since, [&](const publication_ring::entry& e) { out.push_back(e.seq); });
  return out;
}

} // namespace

TEST_CASE("ring keeps the newest entries in order") {
  publication_ring ring{3};
  CHECK(ring.latest() == nullptr);
  fill(ring, 1, 5);
  CHECK(ring.size() == 3);
  CHECK(ring.latest()->seq == 5);
  CHECK(seqs_after(ring, 0) == std::vector<std::uint64_t>{3, 4, 5});
  CHECK(seqs_after(ring, 3) == std::vector<std::uint64_t>{4, 5});
  CHECK(seqs_after(ring, 5).empty());
}

TEST_CASE("ring says whether a recovery would be gap-free") {
  publication_ring ring{3};
  CHECK(ring.covers(0, 0));
  CHECK_FALSE(ring.covers(1, 0));
  fill(ring, 1, 5); // holds 3, 4, 5
  CHECK(ring.covers(5, 5));
  CHECK(ring.covers(4, 5));
  CHECK(ring.covers(2, 5));
  CHECK_FALSE(ring.covers(1, 5));
  CHECK_FALSE(ring.covers(0, 5));
  CHECK_FALSE(ring.covers(6, 5));
}

TEST_CASE("a ring of capacity zero keeps nothing") {
  publication_ring ring{0};
  fill(ring, 1, 3);
  CHECK(ring.size() == 0);
  CHECK(ring.latest() == nullptr);
  CHECK_FALSE(ring.covers(2, 3));
  CHECK(ring.covers(3, 3));
}
