// An SQLite VFS for tests, named "rtd-fault": the default VFS, except that while a fault is
// set every write to a file fails with its code (SQLITE_READONLY, SQLITE_FULL,
// SQLITE_IOERR_WRITE...), as a read-only remount, a full disk or a failing device would,
// and as chmod cannot make happen for root.
#pragma once

namespace rtd::store::test {

inline constexpr const char* fault_vfs_name = "rtd-fault";

/// Registers the VFS (once) and sets the code writes fail with; 0 lets them through.
void set_write_fault(int sqlite_code);

/// Clears the fault when it goes out of scope, so a failed check leaves none behind.
struct write_fault {
  explicit write_fault(int sqlite_code) { set_write_fault(sqlite_code); }
  ~write_fault() { set_write_fault(0); }
  write_fault(const write_fault&) = delete;
  write_fault& operator=(const write_fault&) = delete;
};

} // namespace rtd::store::test
