#include "store/crash_journal.hpp"

#include <isa-l/crc.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <new>
#include <utility>

namespace rtd::store {

namespace {

constexpr char magic[8] = {'R', 'T', 'D', 'J', 'R', 'N', 'L', '1'};
constexpr std::uint32_t record_tag = 0x31524a52; // "RJR1"
constexpr std::uint32_t wrap_tag = 0x50415257;   // "WRAP": the rest of the lap is unused
constexpr std::uint64_t max_capacity = std::uint64_t{1} << 40;

/// Each record, followed by its channel, epoch and frame, then padding to 8 bytes.
struct record_header {
  std::uint32_t tag = record_tag;
  std::uint32_t crc = 0; ///< CRC-32 of everything after this field, padding excluded
  std::uint64_t seq = 0;
  std::int64_t time_us = 0;
  std::uint32_t frame_size = 0;
  std::uint16_t channel_size = 0;
  std::uint16_t epoch_size = 0;

  std::uint64_t size() const {
    return sizeof(record_header) + std::uint64_t{channel_size} + epoch_size + frame_size;
  }
};
static_assert(sizeof(record_header) == 32);
constexpr std::size_t crc_start = offsetof(record_header, seq);

constexpr std::uint64_t align8(std::uint64_t n) {
  return (n + 7) & ~std::uint64_t{7};
}

/// zlib's CRC-32 (the same values), with carry-less multiplication: about 9x faster than
/// zlib 1.2's tables, and every publication is checksummed on its channel's thread.
std::uint32_t crc(std::uint32_t c, const void* data, std::size_t size) {
  return crc32_gzip_refl(c, static_cast<const unsigned char*>(data), size);
}

error os_error(const std::string& what, const std::string& path) {
  return {errc::not_writable, what + " " + path + ": " + std::strerror(errno)};
}

} // namespace

/// The first 64 bytes of the file. head and tail are logical offsets: they only grow, and
/// offset x lives at x % capacity in the ring, so a full ring and an empty one differ.
struct crash_journal::header {
  char magic[8];                   ///< written last when a file is set up
  std::uint64_t capacity;          ///< bytes of ring after this header, a multiple of 8
  std::atomic<std::uint64_t> head; ///< the oldest record
  std::atomic<std::uint64_t> tail; ///< just past the newest record
  unsigned char reserved[32];
};
static_assert(sizeof(std::atomic<std::uint64_t>) == 8 &&
              std::atomic<std::uint64_t>::is_always_lock_free);

crash_journal::crash_journal(std::string path, int fd, std::size_t wanted)
    : path_(std::move(path)), fd_(fd), wanted_(wanted) {}

crash_journal::crash_journal(crash_journal&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)), wanted_(other.wanted_),
      base_(std::exchange(other.base_, nullptr)), mapped_(std::exchange(other.mapped_, 0)) {}

crash_journal& crash_journal::operator=(crash_journal&& other) noexcept {
  std::swap(path_, other.path_);
  std::swap(fd_, other.fd_);
  std::swap(wanted_, other.wanted_);
  std::swap(base_, other.base_);
  std::swap(mapped_, other.mapped_);
  return *this;
}

// No msync: the kernel writes the pages back on its own, and a killed process loses nothing.
crash_journal::~crash_journal() {
  unmap();
  if (fd_ >= 0)
    ::close(fd_);
}

result<crash_journal> crash_journal::open(const std::string& path, std::size_t capacity) {
  if (capacity < min_capacity || capacity > max_capacity)
    return error{errc::failed, "crash journal " + path + ": capacity must be between " +
                                   std::to_string(min_capacity) + " and 2^40 bytes"};
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return os_error("cannot open the crash journal", path);
  crash_journal j{path, fd, capacity / 8 * 8};
  // A file that is not a whole journal (new, cut short while set up, foreign) starts empty.
  unsigned char raw[sizeof(header)];
  std::uint64_t existing = 0;
  if (::pread(fd, raw, sizeof raw, 0) == sizeof raw && std::memcmp(raw, magic, sizeof magic) == 0) {
    std::memcpy(&existing, raw + offsetof(header, capacity), sizeof existing);
    if (existing < min_capacity || existing > max_capacity || existing % 8 != 0)
      existing = 0;
  }
  if (auto s = existing ? j.map(existing, false) : j.map(j.wanted_, true); !s)
    return s.failure();
  return j;
}

status crash_journal::map(std::size_t capacity, bool initialise) {
  unmap();
  std::size_t size = sizeof(header) + capacity;
  if (initialise && ::ftruncate(fd_, 0) != 0)
    return os_error("cannot truncate the crash journal", path_);
  // Reserves the blocks: a full disk fails here, not as SIGBUS when a page is first written.
  // It also restores the length of a file cut short, whose missing end then reads as zeros.
  if (int rc = ::posix_fallocate(fd_, 0, static_cast<off_t>(size)); rc != 0) {
    errno = rc;
    return os_error("cannot reserve space for the crash journal", path_);
  }
  void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
  if (p == MAP_FAILED)
    return os_error("cannot map the crash journal", path_);
  base_ = p;
  mapped_ = size;
  if (initialise) {
    auto* h = new (base_) header;
    h->capacity = capacity;
    h->head.store(0, std::memory_order_relaxed);
    h->tail.store(0, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release);
    std::memcpy(h->magic, magic, sizeof magic);
  }
  return {};
}

void crash_journal::unmap() {
  if (base_)
    ::munmap(base_, mapped_);
  base_ = nullptr;
  mapped_ = 0;
}

crash_journal::header& crash_journal::head() const {
  static_assert(sizeof(header) == 64);
  return *std::launder(static_cast<header*>(base_));
}

unsigned char* crash_journal::ring() const {
  return static_cast<unsigned char*>(base_) + sizeof(header);
}

std::size_t crash_journal::capacity() const {
  return head().capacity;
}

// Also maps the file again when a previous reset failed to (a full disk, say).
status crash_journal::reset() {
  if (capacity() != wanted_)
    return map(wanted_, true);
  auto& h = head();
  h.head.store(h.tail.load(std::memory_order_relaxed), std::memory_order_relaxed);
  return {};
}

void crash_journal::put(std::uint64_t logical, const void* data, std::size_t size) {
  std::memcpy(ring() + logical % capacity(), data, size);
}

// The order of the stores is what makes a kill at any instant safe: the head moves past the
// records about to be overwritten before they are, and the tail covers the new record only
// once it is complete. A release fence keeps the compiler and the CPU to that order.
bool crash_journal::append(std::string_view channel, std::string_view epoch, std::uint64_t seq,
                           std::int64_t time_us, std::string_view frame) {
  if (!base_ || channel.size() > 0xffff || epoch.size() > 0xffff || frame.size() > 0xffffffffu)
    return false;
  record_header r;
  r.seq = seq;
  r.time_us = time_us;
  r.frame_size = static_cast<std::uint32_t>(frame.size());
  r.channel_size = static_cast<std::uint16_t>(channel.size());
  r.epoch_size = static_cast<std::uint16_t>(epoch.size());
  const std::uint64_t cap = capacity();
  const std::uint64_t span = align8(r.size());
  if (span > cap)
    return false;

  auto& h = head();
  const std::uint64_t tail = h.tail.load(std::memory_order_relaxed);
  std::uint64_t start = tail;
  if (std::uint64_t room = cap - tail % cap; span > room)
    start += room; // a record never straddles the end of the ring
  std::uint64_t oldest = h.head.load(std::memory_order_relaxed);
  if (oldest > tail || tail - oldest > cap)
    oldest = tail; // a damaged header: start afresh
  while (start + span - oldest > cap)
    oldest = oldest == tail ? start : next(oldest, tail);
  h.head.store(oldest, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_release);

  if (start != tail)
    put(tail, &wrap_tag, sizeof wrap_tag);
  auto c = crc(0, reinterpret_cast<const unsigned char*>(&r) + crc_start, sizeof r - crc_start);
  c = crc(c, channel.data(), channel.size());
  c = crc(c, epoch.data(), epoch.size());
  r.crc = crc(c, frame.data(), frame.size());
  put(start, &r, sizeof r);
  put(start + sizeof r, channel.data(), channel.size());
  put(start + sizeof r + channel.size(), epoch.data(), epoch.size());
  put(start + sizeof r + channel.size() + epoch.size(), frame.data(), frame.size());
  std::atomic_thread_fence(std::memory_order_release);
  h.tail.store(start + span, std::memory_order_relaxed);
  return true;
}

std::uint64_t crash_journal::next(std::uint64_t at, std::uint64_t tail) const {
  const std::uint64_t cap = capacity();
  const std::uint64_t room = cap - at % cap;
  record_header r;
  std::memcpy(&r, ring() + at % cap, std::min<std::uint64_t>(sizeof r, room));
  // Unreadable (a journal appended to without recover and reset): drop all of it.
  std::uint64_t after = tail;
  if (r.tag == wrap_tag)
    after = at + room;
  else if (r.tag == record_tag && room >= sizeof r && align8(r.size()) <= room)
    after = at + align8(r.size());
  return std::min(after, tail);
}

journal_recovery crash_journal::recover() const {
  journal_recovery found;
  if (!base_)
    return found;
  const auto& h = head();
  const std::uint64_t cap = capacity();
  const std::uint64_t tail = h.tail.load(std::memory_order_relaxed);
  std::uint64_t at = h.head.load(std::memory_order_relaxed);
  // The head passes the tail only while an append that dropped every record to make room
  // is writing its own: the ring then holds nothing.
  if (at > tail && at - tail < cap)
    return found;
  if (tail < at || tail - at > cap) {
    found.damaged = true;
    return found;
  }
  while (at < tail) {
    const std::uint64_t room = cap - at % cap;
    const unsigned char* p = ring() + at % cap;
    record_header r;
    std::memcpy(&r, p, std::min<std::uint64_t>(sizeof r, room));
    if (r.tag == wrap_tag) {
      at += room;
      continue;
    }
    if (r.tag != record_tag || room < sizeof r || r.size() > room || at + align8(r.size()) > tail ||
        crc(0, p + crc_start, r.size() - crc_start) != r.crc) {
      found.damaged = true;
      break;
    }
    const char* text = reinterpret_cast<const char*>(p + sizeof r);
    publication pub;
    pub.channel.assign(text, r.channel_size);
    pub.epoch.assign(text + r.channel_size, r.epoch_size);
    pub.seq = r.seq;
    pub.time_us = r.time_us;
    pub.frame =
        shared_text::copy_of(std::string(text + r.channel_size + r.epoch_size, r.frame_size));
    found.records.push_back(std::move(pub));
    at += align8(r.size());
  }
  return found;
}

} // namespace rtd::store
