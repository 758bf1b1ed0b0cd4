// hiredis's asynchronous API on an Asio io_context: the context's read and write interest
// (its ev.addRead/delRead/addWrite/delWrite hooks) become async_waits on a
// posix::stream_descriptor for its socket, and readiness calls redisAsyncHandleRead/Write.
// hiredis keeps owning the socket: the descriptor is released, never closed, on cleanup.
#pragma once

#include <boost/asio/io_context.hpp>

struct redisAsyncContext;

namespace rtd::redis {

/// Attaches `ac` (fresh from redisAsyncConnect, without error) to `io`. Call it on the
/// io_context's thread before setting the connect callback (which asks for a write event),
/// and drive `ac` only from that thread. False when `ac` has an event library attached
/// already.
bool attach(redisAsyncContext* ac, boost::asio::io_context& io);

} // namespace rtd::redis
