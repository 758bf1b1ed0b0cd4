#include "actors/memory_budget.hpp"

namespace rtd {

memory_budget::reservation& memory_budget::reservation::operator=(reservation&& other) noexcept {
  if (this != &other) {
    release();
    from_ = std::move(other.from_);
    bytes_ = other.bytes_;
    other.bytes_ = 0;
  }
  return *this;
}

void memory_budget::reservation::release() {
  if (from_)
    from_->used_.fetch_sub(bytes_, std::memory_order_relaxed);
  from_.reset();
  bytes_ = 0;
}

std::optional<memory_budget::reservation>
memory_budget::reserve(const std::shared_ptr<memory_budget>& budget, std::uint64_t bytes) {
  auto used = budget->used_.load(std::memory_order_relaxed);
  do {
    if (bytes > budget->limit_ - used)
      return std::nullopt;
  } while (!budget->used_.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
  return reservation{budget, bytes};
}

} // namespace rtd
