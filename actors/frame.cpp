#include "actors/frame.hpp"

namespace rtd {

encoded_frame::encoded_frame(std::string_view payload, opcode op) {
  const auto n = payload.size();
  char header[10];
  header[0] = static_cast<char>(0x80 | op); // FIN
  std::size_t size = 2;
  if (n < 126) {
    header[1] = static_cast<char>(n);
  } else if (n <= 0xFFFF) {
    header[1] = 126;
    header[2] = static_cast<char>(n >> 8);
    header[3] = static_cast<char>(n);
    size = 4;
  } else {
    header[1] = 127;
    for (int i = 0; i < 8; ++i)
      header[2 + i] = static_cast<char>(static_cast<std::uint64_t>(n) >> (56 - 8 * i));
    size = 10;
  }
  header_size_ = static_cast<std::uint8_t>(size);
  bytes_.reserve(size + n);
  bytes_.append(header, size).append(payload);
}

frame with_skipped(const encoded_frame& f, std::uint64_t n) {
  auto json = f.payload();
  std::string text;
  text.reserve(json.size() + 24);
  text.append(json.substr(0, json.rfind('}')))
      .append(",\"skipped\":")
      .append(std::to_string(n))
      .append("}");
  return make_frame(text);
}

} // namespace rtd
