// A channel's crash journal: the publications delivered but perhaps not yet in the history
// database, so that a killed process loses none and never reuses a seq after its restart.
//
// The file is a fixed-size ring of framed records (a CRC32 each), mapped with MAP_SHARED:
// an append is a memcpy and two stores, no system call, and what it wrote lives in the
// kernel's page cache, so it survives the death of the process (kill -9), though not a power
// loss, which the database's own durability covers. At startup, before the channel
// publishes, recover() returns the records still held; the caller writes the ones newer than
// the database's head (history_db::write_batch) and then calls reset().
//
// One writer per journal (its channel), no locks. When the ring is full the oldest records
// give way: size it to hold more than the store's write lag (a few batches). A record larger
// than the whole ring is not kept (append returns false).
#pragma once

#include "store/result.hpp"
#include "store/types.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rtd::store {

/// What recover() found.
struct journal_recovery {
  std::vector<publication> records; ///< in append order: ascending seq within each epoch
  bool damaged = false; ///< a record failed its check (a torn write); the scan stopped there
};

class crash_journal {
public:
  static constexpr std::size_t min_capacity = 4096;

  /// Maps `path`, creating it with a ring of `capacity` bytes when it is missing or is not a
  /// journal. An existing journal keeps its own capacity until reset(), so what it holds can
  /// be recovered whatever the configuration says now. Blocks are reserved up front, so a
  /// full disk fails here and never later in append.
  static result<crash_journal> open(const std::string& path, std::size_t capacity);

  crash_journal(crash_journal&& other) noexcept;
  crash_journal& operator=(crash_journal&& other) noexcept;
  crash_journal(const crash_journal&) = delete;
  crash_journal& operator=(const crash_journal&) = delete;
  ~crash_journal();

  /// Appends one publication, dropping the oldest records as needed. False, and nothing
  /// written, when the record would not fit in the ring (or a name exceeds 65,535 bytes).
  /// Append before delivering, so that what a client saw is in the journal.
  bool append(std::string_view channel, std::string_view epoch, std::uint64_t seq,
              std::int64_t time_us, std::string_view frame);

  /// The records the ring holds, oldest first.
  journal_recovery recover() const;

  /// Empties the journal (and gives it the capacity asked for at open). When this fails, the
  /// journal holds nothing and takes no appends until a reset succeeds.
  status reset();

  /// Bytes of the ring in use now (0 after a failed reset).
  std::size_t capacity() const;
  const std::string& path() const { return path_; }

private:
  struct header;
  crash_journal(std::string path, int fd, std::size_t wanted);

  status map(std::size_t capacity, bool initialise);
  void unmap();
  header& head() const;
  unsigned char* ring() const;
  void put(std::uint64_t logical, const void* data, std::size_t size);
  /// The offset of the record after the one at `at` (tail when it cannot be read).
  std::uint64_t next(std::uint64_t at, std::uint64_t tail) const;

  std::string path_;
  int fd_ = -1;
  std::size_t wanted_ = 0; ///< the capacity asked for at open
  void* base_ = nullptr;   ///< the mapping: header, then the ring
  std::size_t mapped_ = 0;
};

} // namespace rtd::store
