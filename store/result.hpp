// What the store's operations return: a value or an error with a message, never an exception.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace rtd::store {

/// Why an operation failed, by what the caller should do about it.
enum class errc {
  not_writable, ///< the directory or file cannot be created or written: fix permissions
  corrupt,      ///< the file is not a sound history database: move it away or restore a backup
  newer_schema, ///< written by a newer rtd: upgrade, or move the file away
  degraded,     ///< a write failed (disk full, read-only, I/O error): report it, retry later
  failed,       ///< anything else (a bad argument, a bug)
};

/// A failure and a message that names the file and the cause.
struct error {
  errc code = errc::failed;
  std::string message;
};

/// A `T` or an `error`.
template <class T> class [[nodiscard]] result {
public:
  result(T value) : v_(std::move(value)) {}
  result(error e) : v_(std::move(e)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  /// The value; only when ok().
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// The error; only when !ok().
  const error& failure() const { return std::get<1>(v_); }

private:
  std::variant<T, error> v_;
};

/// Success or an `error`.
template <> class [[nodiscard]] result<void> {
public:
  result() = default;
  result(error e) : e_(std::move(e)) {}

  bool ok() const { return !e_; }
  explicit operator bool() const { return ok(); }

  /// The error; only when !ok().
  const error& failure() const { return *e_; }

private:
  std::optional<error> e_;
};

using status = result<void>;

} // namespace rtd::store
