// The node's memory for calculations: a job reserves what it will hold before it starts, and
// gives it back when its work is freed, on whatever thread that happens. Reserving more than
// is left fails, so the sum of what running calculations hold stays within the limit.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

namespace rtd {

class memory_budget {
public:
  /// Bytes held from a budget until destroyed. Move-only.
  class reservation {
  public:
    reservation() = default;
    reservation(reservation&& other) noexcept { *this = std::move(other); }
    reservation& operator=(reservation&& other) noexcept;
    reservation(const reservation&) = delete;
    reservation& operator=(const reservation&) = delete;
    ~reservation() { release(); }

    std::uint64_t bytes() const { return bytes_; }

  private:
    friend class memory_budget;
    reservation(std::shared_ptr<memory_budget> from, std::uint64_t bytes)
        : from_(std::move(from)), bytes_(bytes) {}
    void release();

    std::shared_ptr<memory_budget> from_;
    std::uint64_t bytes_ = 0;
  };

  explicit memory_budget(std::uint64_t limit) : limit_(limit) {}

  /// `bytes` taken from `budget`, or nothing when fewer are left. Thread-safe.
  static std::optional<reservation> reserve(const std::shared_ptr<memory_budget>& budget,
                                            std::uint64_t bytes);

  std::uint64_t limit() const { return limit_; }

  /// Bytes reserved now.
  std::uint64_t used() const { return used_.load(std::memory_order_relaxed); }

private:
  std::uint64_t limit_;
  std::atomic<std::uint64_t> used_{0};
};

} // namespace rtd
