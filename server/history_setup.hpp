// What a node takes from its data directory at start: the history database, each channel's
// crash journal (whose records are written into the database first), where each channel's
// sequence continues, the market's last values (and the steps before them, for forecasts) and
// the calculation results still fresh.
#pragma once

#include "actors/interfaces.hpp"
#include "protocol/messages.hpp"
#include "store/crash_journal.hpp"
#include "store/history_db.hpp"

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rtd {

struct history_setup_options {
  std::string data_dir;
  std::size_t journal_bytes = 4 << 20; ///< each channel's crash journal
  store::history_options database;
  std::chrono::milliseconds result_ttl{300000}; ///< older calculation results are not read
  std::size_t market_steps = 0; ///< the newest market steps read back, for forecasts
};

/// Where one channel continues after the restart.
struct channel_resume {
  std::string epoch;
  std::uint64_t seq = 0; ///< of its last publication
};

struct history_resume {
  std::shared_ptr<store::history_db> db;
  std::array<std::shared_ptr<store::crash_journal>, protocol::all_channels.size()> journals;
  /// Per channel: nothing for a channel without history (it starts a new epoch).
  std::array<std::optional<channel_resume>, protocol::all_channels.size()> channels;
  std::optional<protocol::market_snapshot> market; ///< the last market_update's values
  std::vector<market_step> market_steps;     ///< the newest of the current epoch, oldest first
  std::vector<store::stored_result> results; ///< the results cache, oldest first
};

/// Opens everything under `options.data_dir`, creating it when missing; throws
/// std::runtime_error with a message naming the file and what to do when the directory is
/// not writable or the database cannot be used.
history_resume open_history(const history_setup_options& options);

} // namespace rtd
