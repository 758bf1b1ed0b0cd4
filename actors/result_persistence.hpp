// The result cache kept across restarts: the calculation service hands each result it caches
// to the history store, and a restarted node starts with the results still fresh. Part of
// the calculation service.
#pragma once

#include "actors/interfaces.hpp"
#include "actors/result_cache.hpp"

#include <string>
#include <vector>

namespace rtd {

struct result_persistence {
  history_store_actor store;               ///< null: results live in memory only
  std::vector<store::stored_result> saved; ///< fresh at start, oldest first
};

/// Puts `saved` in `cache`, each as old as it is by the wall clock (one stored in the future,
/// by a clock that stepped back, counts as new).
void warm(result_cache& cache, const std::vector<store::stored_result>& saved,
          result_cache::clock::time_point now);

/// A result just cached, as the store keeps it (stored now).
store::stored_result to_stored(const result_cache::key& k, const std::string& result);

} // namespace rtd
