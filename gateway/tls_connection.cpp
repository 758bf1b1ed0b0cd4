#include "gateway/tls_connection.hpp"

#include "gateway/context.hpp"
#include "gateway/io_lane.hpp"

namespace rtd {

tls_connection::tls_connection(tls_stream stream, std::shared_ptr<gateway_context> context,
                               io_lane& lane, std::uint64_t id)
    : ws_connection(std::move(context), lane, id), stream_(std::move(stream)) {}

void tls_connection::run(std::string_view early, auth::verification verified) {
  beast::get_lowest_layer(stream_).expires_never();
  start(early, std::move(verified));
  if (!finished())
    read();
}

void tls_connection::read() {
  stream_.async_read_some(
      net::buffer(input_),
      [self = self()](beast::error_code ec, std::size_t n) { self->on_read(ec, n); });
}

void tls_connection::on_read(beast::error_code ec, std::size_t n) {
  if (ec || finished())
    return finish();
  on_input(input_.data(), n);
  if (!finished())
    read();
}

void tls_connection::write_queued() {
  if (write_in_flight_ || finished())
    return;
  if (queue_.empty())
    return on_progress();
  iovec gathered[max_gather];
  auto n = queue_.gather(gathered, max_gather);
  writing_.clear();
  for (std::size_t i = 0; i < n; ++i)
    writing_.emplace_back(gathered[i].iov_base, gathered[i].iov_len);
  write_in_flight_ = true;
  // Beast's SSL stream flattens the buffers into TLS records of its own.
  net::async_write(stream_, writing_, [self = self()](beast::error_code ec, std::size_t written) {
    self->on_written(ec, written);
  });
}

void tls_connection::on_written(beast::error_code ec, std::size_t n) {
  write_in_flight_ = false;
  if (ec) {
    close_transport(); // the read side ends the connection
    return;
  }
  counts().sent(queue_.consume(n), n);
  write_queued();
}

void tls_connection::close_transport() {
  beast::error_code ec;
  auto& socket = beast::get_lowest_layer(stream_).socket();
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

void tls_connection::terminate() {
  close_transport();
  finish();
}

} // namespace rtd
