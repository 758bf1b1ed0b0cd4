#pragma once
// The worker of each mode (fanout and conns share one).

#include "bench/worker.hpp"

#include <memory>

namespace rtd::bench {

std::unique_ptr<worker> make_fanout_worker(const options& opts, std::size_t first,
                                           std::size_t count, event_loop& loop);
std::unique_ptr<worker> make_ping_worker(const options& opts, std::size_t first, std::size_t count,
                                         event_loop& loop);
std::unique_ptr<worker> make_calc_worker(const options& opts, std::size_t first, std::size_t count,
                                         event_loop& loop);

/// The worker of `opts.mode`.
std::unique_ptr<worker> make_worker(const options& opts, std::size_t first, std::size_t count,
                                    event_loop& loop);

} // namespace rtd::bench
