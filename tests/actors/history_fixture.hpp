// Actor tests with history on disk: a history store on a temporary directory (optionally
// through the fault-injecting VFS) and channels that journal and archive to it.
#pragma once

#include "actors/history_store.hpp"
#include "tests/actors/node_fixture.hpp"
#include "tests/store/fault_vfs.hpp"
#include "tests/store/support.hpp"

namespace rtd::test {

/// A history store of quick figures: 4-row batches, written 10 ms after the first.
inline history_store_config small_batches() {
  history_store_config c;
  c.batch_rows = 4;
  c.flush_interval = std::chrono::milliseconds(10);
  c.retry_interval = std::chrono::milliseconds(100);
  return c;
}

struct history_fixture : node_fixture {
  store::test::temp_dir dir;
  std::shared_ptr<store::history_db> db;
  history_store_actor store;

  /// A node whose channels keep `ring` publications in memory and everything on disk.
  explicit history_fixture(history_store_config config = small_batches(), std::size_t ring = 16,
                           bool faulty = false)
      : node_fixture(ring, "e1") {
    store::history_options options;
    if (faulty) {
      store::test::set_write_fault(0);
      options.vfs = store::test::fault_vfs_name;
    }
    auto opened = store::history_db::open(dir.str(), options);
    REQUIRE(opened);
    db = std::make_shared<store::history_db>(std::move(opened).value());
    store = sys.spawn(history_store, std::move(config), db);
    for (auto c : protocol::all_channels)
      restart(c, ring, "e1", 0);
    run();
  }

  ~history_fixture() { kill(store); }

  /// Replaces channel `c` with one continuing from `seq` of `epoch` (as after a restart),
  /// archiving to the store and keeping `ring` publications in memory.
  void restart(protocol::channel c, std::size_t ring, std::string epoch, std::uint64_t seq,
               replay_limits limits = {}) {
    auto& slot = channels[static_cast<std::size_t>(c)];
    kill(slot);
    auto config = memory_channel(c, std::move(epoch), ring);
    config.seq = seq;
    config.store = store;
    config.replay = limits;
    slot = sys.spawn(channel, std::move(config));
    context->channels = channels;
    run();
  }

  /// Publishes a notification numbered `n` (its message) on `notifications`.
  void notify(int n) {
    protocol::notification note;
    note.message = "n" + std::to_string(n);
    caf::anon_send(channel_of(channels, protocol::channel::notifications),
                   protocol::publication_body{note});
    run();
  }

  /// Publishes notifications first..last.
  void notify_range(int first, int last) {
    for (int n = first; n <= last; ++n)
      notify(n);
  }

  /// Writes what the store holds back (its flush timer).
  void flush() { advance(std::chrono::milliseconds(10)); }

  std::uint64_t stored(protocol::channel c) { return db->usage(protocol::to_string(c)).rows; }
};

/// The seqs of the publications (frames with a seq) among `frames`, in order.
inline std::vector<std::uint64_t> publication_seqs(const std::vector<rapidjson::Document>& frames) {
  std::vector<std::uint64_t> out;
  for (const auto& f : frames)
    if (f.HasMember("seq") && std::string{f["type"].GetString()} != "subscribed")
      out.push_back(f["seq"].GetUint64());
  return out;
}

/// first..last.
inline std::vector<std::uint64_t> range(std::uint64_t first, std::uint64_t last) {
  std::vector<std::uint64_t> out;
  for (auto s = first; s <= last; ++s)
    out.push_back(s);
  return out;
}

} // namespace rtd::test
