#include "redis/asio_adapter.hpp"

#include <boost/asio/posix/stream_descriptor.hpp>
#include <hiredis/async.h>

#include <memory>
#include <optional>

namespace rtd::redis {

namespace {

namespace asio = boost::asio;
using wait_type = asio::posix::descriptor_base::wait_type;

/// What hiredis's hooks act on, one per context. Keeps itself alive (`self`) until hiredis
/// calls cleanup; a wait still pending then holds it until that wait completes, aborted.
struct watcher {
  redisAsyncContext* ac;
  std::optional<asio::posix::stream_descriptor> socket;
  bool reading = false; ///< hiredis wants read events
  bool writing = false; ///< hiredis wants write events
  bool read_pending = false;
  bool write_pending = false;
  std::shared_ptr<watcher> self;

  watcher(redisAsyncContext* context, asio::io_context& io) : ac(context) {
    socket.emplace(io, context->c.fd);
  }
};

void wait(const std::shared_ptr<watcher>& w, wait_type type);

/// Starts a wait for `type` unless one is pending: hiredis calls add* repeatedly.
void want(watcher& w, wait_type type) {
  bool read = type == asio::posix::descriptor_base::wait_read;
  (read ? w.reading : w.writing) = true;
  if (!(read ? w.read_pending : w.write_pending))
    wait(w.self, type);
}

void wait(const std::shared_ptr<watcher>& w, wait_type type) {
  bool read = type == asio::posix::descriptor_base::wait_read;
  (read ? w->read_pending : w->write_pending) = true;
  w->socket->async_wait(type, [w, read](const boost::system::error_code& ec) {
    (read ? w->read_pending : w->write_pending) = false;
    // Cleaned up (the context is gone), or no longer wanted: a later add* waits again.
    if (ec == asio::error::operation_aborted || !w->ac || !(read ? w->reading : w->writing))
      return;
    // Either may free the context (and clean up) or ask for the next event (add*). A wait
    // that failed otherwise is handed over too: hiredis's read or write then reports the
    // socket's error.
    if (read)
      redisAsyncHandleRead(w->ac);
    else
      redisAsyncHandleWrite(w->ac);
  });
}

watcher& of(void* data) {
  return *static_cast<watcher*>(data);
}

void add_read(void* data) {
  want(of(data), asio::posix::descriptor_base::wait_read);
}

void del_read(void* data) {
  of(data).reading = false;
}

void add_write(void* data) {
  want(of(data), asio::posix::descriptor_base::wait_write);
}

void del_write(void* data) {
  of(data).writing = false;
}

/// hiredis frees the context (and closes the socket) right after this.
void cleanup(void* data) {
  auto& w = of(data);
  auto keep = std::move(w.self); // the last reference may be this one
  w.ac = nullptr;
  w.reading = w.writing = false;
  // Pending waits complete as aborted; the socket stays open for hiredis to close.
  w.socket->release();
  w.socket.reset();
}

} // namespace

bool attach(redisAsyncContext* ac, asio::io_context& io) {
  if (ac->ev.data != nullptr)
    return false;
  auto w = std::make_shared<watcher>(ac, io);
  w->self = w;
  ac->ev.data = w.get();
  ac->ev.addRead = add_read;
  ac->ev.delRead = del_read;
  ac->ev.addWrite = add_write;
  ac->ev.delWrite = del_write;
  ac->ev.cleanup = cleanup;
  return true;
}

} // namespace rtd::redis
