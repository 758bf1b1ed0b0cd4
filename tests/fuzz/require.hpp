// The harnesses' invariant check: a broken invariant aborts, which libFuzzer reports as a
// crash and saves the input that caused it.
#pragma once

#include <cstdlib>

namespace rtd::fuzz {

inline void require(bool condition) {
  if (!condition)
    std::abort();
}

} // namespace rtd::fuzz
