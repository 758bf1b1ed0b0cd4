// HTTP responses of the gateway's routes. Internal to gateway/.
#pragma once

#include "gateway/beast.hpp"
#include "gateway/static_files.hpp"
#include "protocol/messages.hpp"

#include <string>

namespace rtd {

using http_response = http::response<http::string_body>;

/// A response with a JSON body.
http_response json_response(http::status status, std::string body, unsigned version,
                            bool keep_alive);

/// A static file.
http_response file_response(static_file file, unsigned version, bool keep_alive);

/// A JSON error body in the protocol's shape: {"type":"error","code":..,"message":..}.
http_response error_response(http::status status, protocol::error_code code, std::string message,
                             unsigned version, bool keep_alive);

} // namespace rtd
