#pragma once
// The error channel of every finance kernel: a value or an error naming the offending field.
// Kernels never throw for bad input; they return `expected<T>` so the caller (an actor) can
// turn the error into the protocol's `invalid_parameters` without a try/catch.

#include <string>
#include <utility>
#include <variant>

namespace rtd::finance {

/// Why a kernel refused its input: the request field at fault and a sentence for the client.
struct error {
  std::string field;   ///< e.g. "discount_rate", "cash_flows"
  std::string message; ///< e.g. "discount_rate must be > -1"
};

/// A tiny stand-in for C++23 `std::expected<T, error>`.
template <class T> class expected {
public:
  /// A successful result.
  expected(T value) : storage_(std::in_place_index<0>, std::move(value)) {}
  /// A refusal.
  expected(finance::error e) : storage_(std::in_place_index<1>, std::move(e)) {}

  /// True when this holds a value.
  bool has_value() const noexcept { return storage_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  /// The value; calling it on an error is a programming bug (std::bad_variant_access).
  T& value() & { return std::get<0>(storage_); }
  const T& value() const& { return std::get<0>(storage_); }
  T&& value() && { return std::get<0>(std::move(storage_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// The error; calling it on a value is a programming bug (std::bad_variant_access).
  const finance::error& error() const& { return std::get<1>(storage_); }

private:
  std::variant<T, finance::error> storage_;
};

} // namespace rtd::finance
