#include "tests/store/fault_vfs.hpp"

#include <sqlite3.h>

#include <stdexcept>

namespace rtd::store::test {

namespace {

int fault = 0;
sqlite3_vfs* base = nullptr;

/// A file of the fault VFS: the base VFS's file follows it in the same allocation.
struct fault_file {
  sqlite3_file file;
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

sqlite3_file* real(sqlite3_file* f) {
  return reinterpret_cast<fault_file*>(f)->real();
}
const sqlite3_io_methods& methods(sqlite3_file* f) {
  return *real(f)->pMethods;
}

int write(sqlite3_file* f, const void* data, int n, sqlite3_int64 at) {
  return fault ? fault : methods(f).xWrite(real(f), data, n, at);
}

// Every other method goes straight to the base VFS's file.
const sqlite3_io_methods io = {
    3,
    [](sqlite3_file* f) { return methods(f).xClose(real(f)); },
    [](sqlite3_file* f, void* d, int n, sqlite3_int64 at) {
      return methods(f).xRead(real(f), d, n, at);
    },
    write,
    [](sqlite3_file* f, sqlite3_int64 size) {
      return fault ? fault : methods(f).xTruncate(real(f), size);
    },
    [](sqlite3_file* f, int flags) { return methods(f).xSync(real(f), flags); },
    [](sqlite3_file* f, sqlite3_int64* size) { return methods(f).xFileSize(real(f), size); },
    [](sqlite3_file* f, int lock) { return methods(f).xLock(real(f), lock); },
    [](sqlite3_file* f, int lock) { return methods(f).xUnlock(real(f), lock); },
    [](sqlite3_file* f, int* out) { return methods(f).xCheckReservedLock(real(f), out); },
    [](sqlite3_file* f, int op, void* arg) { return methods(f).xFileControl(real(f), op, arg); },
    [](sqlite3_file* f) { return methods(f).xSectorSize(real(f)); },
    [](sqlite3_file* f) { return methods(f).xDeviceCharacteristics(real(f)); },
    [](sqlite3_file* f, int page, int size, int extend, void volatile** out) {
      return methods(f).xShmMap(real(f), page, size, extend, out);
    },
    [](sqlite3_file* f, int offset, int n, int flags) {
      return methods(f).xShmLock(real(f), offset, n, flags);
    },
    [](sqlite3_file* f) { methods(f).xShmBarrier(real(f)); },
    [](sqlite3_file* f, int remove) { return methods(f).xShmUnmap(real(f), remove); },
    [](sqlite3_file* f, sqlite3_int64 at, int n, void** out) {
      return methods(f).xFetch(real(f), at, n, out);
    },
    [](sqlite3_file* f, sqlite3_int64 at, void* p) { return methods(f).xUnfetch(real(f), at, p); },
};

int open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  f->pMethods = nullptr;
  int rc = base->xOpen(base, name, real(f), flags, out_flags);
  if (real(f)->pMethods)
    f->pMethods = &io;
  return rc;
}

sqlite3_vfs make_vfs() {
  sqlite3_vfs v = *base;
  v.iVersion = 2;
  v.szOsFile = static_cast<int>(sizeof(fault_file)) + base->szOsFile;
  v.pNext = nullptr;
  v.zName = fault_vfs_name;
  v.pAppData = nullptr;
  v.xOpen = open;
  v.xDelete = [](sqlite3_vfs*, const char* name, int sync) {
    return base->xDelete(base, name, sync);
  };
  v.xAccess = [](sqlite3_vfs*, const char* name, int flags, int* out) {
    return base->xAccess(base, name, flags, out);
  };
  v.xFullPathname = [](sqlite3_vfs*, const char* name, int n, char* out) {
    return base->xFullPathname(base, name, n, out);
  };
  v.xDlOpen = nullptr;
  v.xDlError = nullptr;
  v.xDlSym = nullptr;
  v.xDlClose = nullptr;
  v.xRandomness = [](sqlite3_vfs*, int n, char* out) { return base->xRandomness(base, n, out); };
  v.xSleep = [](sqlite3_vfs*, int us) { return base->xSleep(base, us); };
  v.xCurrentTime = [](sqlite3_vfs*, double* out) { return base->xCurrentTime(base, out); };
  v.xGetLastError = [](sqlite3_vfs*, int n, char* out) {
    return base->xGetLastError(base, n, out);
  };
  v.xCurrentTimeInt64 = [](sqlite3_vfs*, sqlite3_int64* out) {
    return base->xCurrentTimeInt64(base, out);
  };
  return v;
}

} // namespace

void set_write_fault(int sqlite_code) {
  static sqlite3_vfs vfs = [] {
    base = sqlite3_vfs_find(nullptr);
    if (!base || base->iVersion < 2)
      throw std::runtime_error("no default SQLite VFS of version 2 or later");
    return make_vfs();
  }();
  static const bool registered = sqlite3_vfs_register(&vfs, 0) == SQLITE_OK;
  if (!registered)
    throw std::runtime_error("cannot register the fault VFS");
  fault = sqlite_code;
}

} // namespace rtd::store::test
