// Helpers of the store tests: temporary directories, publications, a child process.
#pragma once

#include "store/types.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace rtd::store::test {

/// A fresh directory under the system's temporary one, removed with its contents.
class temp_dir {
public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

private:
  std::filesystem::path path_;
};

/// The whole of a file's bytes.
std::string read_file(const std::filesystem::path& p);

/// A publication whose frame is `"<channel>/<epoch>/<seq>"` padded to at least `size` bytes.
publication make_publication(const std::string& channel, const std::string& epoch,
                             std::uint64_t seq, std::int64_t time_us, std::size_t size = 0);

/// Publications first_seq..last_seq of one channel and epoch, at time_us = seq * step_us.
std::vector<publication> make_batch(const std::string& channel, const std::string& epoch,
                                    std::uint64_t first_seq, std::uint64_t last_seq,
                                    std::int64_t step_us = 1000, std::size_t size = 0);

/// The seqs of a page's items, in order.
template <class Page> std::vector<std::uint64_t> seqs(const Page& p) {
  std::vector<std::uint64_t> out;
  for (const auto& item : p.items)
    out.push_back(item.seq);
  return out;
}

/// Runs `f` in a forked child without root's privileges (as nobody when run as root) and
/// returns what it returned.
std::string run_unprivileged(const std::function<std::string()>& f);

} // namespace rtd::store::test
