#pragma once
// Shared by the finance tests: unwrap an expected<T>, failing the test with the kernel's own
// error message when it refused.
#include "finance/expected.hpp"

#include <doctest/doctest.h>

#include <utility>

namespace rtd::finance::test {

/// The value of `e`; the current test fails (and stops) when `e` holds an error.
template <class T> T expect_ok(expected<T> e) {
  if (!e)
    FAIL("refused: field " << e.error().field << ": " << e.error().message);
  return std::move(e).value();
}

/// The error of `e`; the current test fails (and stops) when `e` holds a value.
template <class T> error expect_error(const expected<T>& e) {
  REQUIRE_FALSE(e.has_value());
  return e.error();
}

} // namespace rtd::finance::test
