// Internal to auth/: owners for what libjwt hands out, so every path frees it.
#pragma once

#include <jwt.h>

#include <cstdlib>
#include <memory>

namespace rtd::auth::detail {

struct jwt_deleter {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};

/// A jwt_t from jwt_new or jwt_decode.
using jwt_ptr = std::unique_ptr<jwt_t, jwt_deleter>;

struct malloc_deleter {
  void operator()(char* text) const { std::free(text); }
};

/// A string libjwt allocated for the caller (jwt_encode_str, jwt_get_grants_json).
using malloc_string = std::unique_ptr<char, malloc_deleter>;

} // namespace rtd::auth::detail
