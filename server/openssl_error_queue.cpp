// A fix for CAF 0.17.6's OpenSSL module as Debian builds it (CAF_LOG_LEVEL quiet): after a
// failed TLS call it leaves OpenSSL's per-thread error queue filled, because the only code
// that drains it sits inside log statements that are compiled out. The middleman runs every
// link on one thread, so the next SSL_get_error() there, for any other link, reports that stale
// error, and CAF closes that healthy link: a port scan, a plain client or a peer with the wrong
// certificate would cut this node off from a member (and reconnects would flap). OpenSSL asks
// for an empty queue before each I/O call; these definitions, which the dynamic linker prefers
// to libssl's, empty it and call libssl's. Boost.Asio (the gateway's TLS) empties it too, so
// for the gateway nothing changes.
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <dlfcn.h>

namespace {

/// libssl's own definition of `name`, the next one after this executable's.
template <class F> F next_definition(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

} // namespace

extern "C" {

int SSL_read(SSL* ssl, void* buf, int num) {
  static const auto real = next_definition<int (*)(SSL*, void*, int)>("SSL_read");
  ERR_clear_error();
  return real(ssl, buf, num);
}

int SSL_write(SSL* ssl, const void* buf, int num) {
  static const auto real = next_definition<int (*)(SSL*, const void*, int)>("SSL_write");
  ERR_clear_error();
  return real(ssl, buf, num);
}

int SSL_accept(SSL* ssl) {
  static const auto real = next_definition<int (*)(SSL*)>("SSL_accept");
  ERR_clear_error();
  return real(ssl);
}

int SSL_connect(SSL* ssl) {
  static const auto real = next_definition<int (*)(SSL*)>("SSL_connect");
  ERR_clear_error();
  return real(ssl);
}

} // extern "C"
