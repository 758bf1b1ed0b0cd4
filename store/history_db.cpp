#include "store/history_db.hpp"

#include "store/publication_log.hpp"
#include "store/result_table.hpp"
#include "store/schema.hpp"
#include "store/sqlite.hpp"

#include <filesystem>
#include <type_traits>

namespace rtd::store {

struct history_db::impl {
  impl(std::string file, sqlite::connection connection, const history_options& options)
      : path(std::move(file)), db(std::move(connection)), log(db.get()),
        results(db.get(), options.max_results, options.max_result_bytes),
        put_state(db.get(), "INSERT INTO state (name, value) VALUES (?1, ?2) "
                            "ON CONFLICT (name) DO UPDATE SET value = excluded.value"),
        get_state(db.get(), "SELECT value FROM state WHERE name = ?1") {}

  /// Runs `f`, turning an SQLite failure into the error of `what`.
  template <class F> auto guard(const char* what, F&& f) {
    using value = decltype(f());
    try {
      if constexpr (std::is_void_v<value>) {
        f();
        return status{};
      } else {
        return result<value>{f()};
      }
    } catch (const sqlite::failure& e) {
      return result<value>{sqlite::to_error(e, std::string{what} + " on " + path)};
    }
  }

  std::string path;
  sqlite::connection db; // declared before the statements, so closed after them
  publication_log log;
  result_table results;
  sqlite::statement put_state;
  sqlite::statement get_state;
};

namespace {

error refusal(const std::string& path, const std::string& dir, const sqlite::failure& f) {
  switch (f.code() & 0xff) {
  case SQLITE_NOTADB:
  case SQLITE_CORRUPT:
    return schema::damaged(path, f.what());
  case SQLITE_READONLY:
  case SQLITE_CANTOPEN:
  case SQLITE_PERM:
    return {errc::not_writable,
            "cannot write " + path + " (" + f.what() + "): check that rtd may write to " + dir};
  default:
    return sqlite::to_error(f, "opening " + path);
  }
}

} // namespace

result<history_db> history_db::open(const std::string& data_dir, const history_options& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec)
    return error{errc::not_writable,
                 "cannot create the history directory " + data_dir + ": " + ec.message()};
  if (!fs::is_directory(data_dir, ec))
    return error{errc::not_writable, "the history directory " + data_dir + " is not a directory"};
  auto path = (fs::path{data_dir} / "history.sqlite3").string();
  try {
    sqlite3* raw = nullptr;
    int flags =
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    int rc = sqlite3_open_v2(path.c_str(), &raw, flags,
                             options.vfs.empty() ? nullptr : options.vfs.c_str());
    sqlite::connection db{raw};
    if (rc != SQLITE_OK)
      sqlite::fail(raw, rc, "");
    // SQLite falls back to read-only when the file is not writable.
    if (sqlite3_db_readonly(raw, "main") == 1)
      throw sqlite::failure{SQLITE_READONLY, "the file is read-only"};
    sqlite3_busy_timeout(raw, options.busy_timeout_ms);
    if (auto s = schema::prepare(raw, path, options.max_file_bytes, options.check_on_open); !s)
      return s.failure();
    return history_db{std::make_unique<impl>(path, std::move(db), options)};
  } catch (const sqlite::failure& f) {
    return refusal(path, data_dir, f);
  }
}

history_db::history_db(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
history_db::history_db(history_db&&) noexcept = default;
history_db& history_db::operator=(history_db&&) noexcept = default;
history_db::~history_db() = default;

const std::string& history_db::path() const {
  return impl_->path;
}

status history_db::write_batch(const std::vector<publication>& batch,
                               const retention_policies& retention, std::int64_t now_us) {
  return impl_->guard("write_batch", [&] { impl_->log.write_batch(batch, retention, now_us); });
}

std::optional<channel_head> history_db::head(std::string_view channel) const {
  return impl_->log.head(channel);
}

usage history_db::usage(std::string_view channel) const {
  return impl_->log.usage(channel);
}

result<page> history_db::after(std::string_view channel, std::string_view epoch,
                               std::uint64_t since_seq, std::uint32_t limit) {
  return impl_->guard("after", [&] { return impl_->log.after(channel, epoch, since_seq, limit); });
}

result<page> history_db::newest(std::string_view channel, std::string_view epoch,
                                std::uint32_t limit) {
  return impl_->guard("newest", [&] { return impl_->log.newest(channel, epoch, limit); });
}

result<page> history_db::between(std::string_view channel, std::string_view epoch,
                                 std::int64_t from_us, std::int64_t to_us, std::uint32_t limit,
                                 std::optional<std::uint64_t> since_seq) {
  return impl_->guard("between", [&] {
    return impl_->log.between(channel, epoch, from_us, to_us, limit, since_seq);
  });
}

result<bool> history_db::covers(std::string_view channel, std::string_view epoch,
                                std::uint64_t since_seq) {
  return impl_->guard("covers", [&] { return impl_->log.covers(channel, epoch, since_seq); });
}

result<std::uint64_t> history_db::apply_retention(std::string_view channel,
                                                  const retention_policy& policy,
                                                  std::int64_t now_us) {
  return impl_->guard("apply_retention",
                      [&] { return impl_->log.apply_retention(channel, policy, now_us); });
}

status history_db::put_result(std::string_view key, std::string_view result_json,
                              std::int64_t stored_us) {
  return put_results({{std::string{key}, std::string{result_json}, stored_us}});
}

status history_db::put_results(std::vector<stored_result> batch) {
  return impl_->guard("put_results", [&] { impl_->results.put(std::move(batch)); });
}

void history_db::keep_storable(std::vector<stored_result>& batch) const {
  impl_->results.keep_storable(batch);
}

result<std::optional<std::string>> history_db::get_result(std::string_view key, std::int64_t now_us,
                                                          std::int64_t ttl_us) {
  return impl_->guard("get_result", [&] { return impl_->results.get(key, now_us, ttl_us); });
}

result<std::vector<stored_result>> history_db::fresh_results(std::int64_t now_us,
                                                             std::int64_t ttl_us) {
  return impl_->guard("fresh_results", [&] { return impl_->results.fresh(now_us, ttl_us); });
}

result<std::uint64_t> history_db::erase_expired(std::int64_t now_us, std::int64_t ttl_us) {
  return impl_->guard("erase_expired",
                      [&] { return impl_->results.erase_expired(now_us, ttl_us); });
}

usage history_db::results_usage() const {
  return impl_->results.usage();
}

usage history_db::results_capacity() const {
  return impl_->results.capacity();
}

status history_db::put_state(std::string_view name, std::string_view value) {
  return impl_->guard("put_state", [&] { impl_->put_state.run(name, sqlite::blob{value}); });
}

result<std::optional<std::string>> history_db::get_state(std::string_view name) {
  return impl_->guard("get_state", [&] {
    auto r = impl_->get_state.query(name);
    return r.next() ? std::optional<std::string>{r.text(0)} : std::nullopt;
  });
}

} // namespace rtd::store
