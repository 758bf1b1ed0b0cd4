// The history database's schema, its version, and the checks made when a file is opened.
#pragma once

#include "store/result.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace rtd::store::schema {

/// The version this build writes; a file with a newer one is refused, one of version 1 (a
/// row per publication) is rewritten as segments when opened.
inline constexpr std::int64_t version = 2;

/// The refusal of a damaged file: names it and says what to do.
error damaged(const std::string& path, const std::string& why);

/// Sets the connection up (WAL, synchronous=NORMAL, the size cap), checks the file
/// (quick_check, when `check`) and creates or verifies the schema. `path` names the file in
/// messages. Throws sqlite::failure when SQLite fails; returns a refusal for a file it will not
/// use.
status prepare(sqlite3* db, const std::string& path, std::uint64_t max_file_bytes, bool check);

} // namespace rtd::store::schema
