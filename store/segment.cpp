#include "store/segment.hpp"

#include <algorithm>

namespace rtd::store::segment {

namespace {

// Each record: seq (8 bytes), time_us (8), frame size (4), little-endian, then the frame.
constexpr std::size_t header_bytes = 20;

template <class T> void put(std::string& out, T v) {
  auto u = static_cast<std::uint64_t>(v);
  for (std::size_t i = 0; i < sizeof(T); ++i)
    out.push_back(static_cast<char>((u >> (8 * i)) & 0xff));
}

template <class T> T get(const char* p) {
  std::uint64_t u = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i)
    u |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return static_cast<T>(u);
}

} // namespace

void builder::add(std::uint64_t seq, std::int64_t time_us, std::string_view frame) {
  if (rows_ == 0) {
    first_seq_ = seq;
    min_us_ = max_us_ = time_us;
  }
  last_seq_ = seq;
  min_us_ = std::min(min_us_, time_us);
  max_us_ = std::max(max_us_, time_us);
  ++rows_;
  bytes_ += frame.size();
  put(body_, seq);
  put(body_, time_us);
  put(body_, static_cast<std::uint32_t>(frame.size()));
  body_.append(frame);
}

void builder::write(sqlite::statement& insert, std::string_view channel, std::string_view epoch) {
  insert.run(channel, epoch, first_seq_, last_seq_, rows_, bytes_, min_us_, max_us_,
             sqlite::blob{body_});
  body_.clear();
  rows_ = 0;
  bytes_ = 0;
}

std::vector<record> records(std::string_view body) {
  std::vector<record> out;
  for (std::size_t at = 0; at < body.size();) {
    if (body.size() - at < header_bytes)
      throw sqlite::failure{SQLITE_CORRUPT, "a history segment is truncated"};
    const char* p = body.data() + at;
    record r{get<std::uint64_t>(p), get<std::int64_t>(p + 8), {}};
    auto size = get<std::uint32_t>(p + 16);
    at += header_bytes;
    if (body.size() - at < size)
      throw sqlite::failure{SQLITE_CORRUPT, "a history segment is truncated"};
    r.frame = body.substr(at, size);
    at += size;
    out.push_back(r);
  }
  return out;
}

} // namespace rtd::store::segment
