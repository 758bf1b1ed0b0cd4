#include "gateway/http_responses.hpp"

#include "protocol/codec.hpp"

namespace rtd {

http_response json_response(http::status status, std::string body, unsigned version,
                            bool keep_alive) {
  http_response res{status, version};
  res.set(http::field::server, "rtd");
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

http_response file_response(static_file file, unsigned version, bool keep_alive) {
  http_response res{http::status::ok, version};
  res.set(http::field::server, "rtd");
  res.set(http::field::content_type,
          beast::string_view{file.content_type.data(), file.content_type.size()});
  res.set(http::field::cache_control, "no-cache");
  res.keep_alive(keep_alive);
  res.body() = std::move(file.content);
  res.prepare_payload();
  return res;
}

http_response error_response(http::status status, protocol::error_code code, std::string message,
                             unsigned version, bool keep_alive) {
  protocol::error_reply err;
  err.code = code;
  err.message = std::move(message);
  return json_response(status, protocol::encode(err), version, keep_alive);
}

} // namespace rtd
