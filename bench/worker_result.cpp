#include "bench/worker_result.hpp"

#include <algorithm>
#include <sstream>

namespace rtd::bench {

std::uint64_t worker_result::sum(const std::string& key) const {
  auto it = sums.find(key);
  return it == sums.end() ? 0 : it->second;
}

void worker_result::set_min(const std::string& key, std::int64_t v) {
  auto [it, fresh] = mins.emplace(key, v);
  if (!fresh)
    it->second = std::min(it->second, v);
}

void worker_result::set_max(const std::string& key, std::int64_t v) {
  auto [it, fresh] = maxs.emplace(key, v);
  if (!fresh)
    it->second = std::max(it->second, v);
}

void worker_result::merge(const worker_result& other) {
  for (auto& [k, v] : other.sums)
    sums[k] += v;
  for (auto& [k, v] : other.mins)
    set_min(k, v);
  for (auto& [k, v] : other.maxs)
    set_max(k, v);
  latency_us.merge(other.latency_us);
  if (first_error.empty())
    first_error = other.first_error;
  bench_cpu_s += other.bench_cpu_s;
}

std::string worker_result::serialize() const {
  std::ostringstream out;
  out.precision(17);
  for (auto& [k, v] : sums)
    out << "s " << k << ' ' << v << '\n';
  for (auto& [k, v] : mins)
    out << "n " << k << ' ' << v << '\n';
  for (auto& [k, v] : maxs)
    out << "x " << k << ' ' << v << '\n';
  out << "c " << bench_cpu_s << '\n';
  out << "h " << latency_us.serialize() << '\n';
  std::string error = first_error;
  std::replace(error.begin(), error.end(), '\n', ' ');
  out << "e " << error << '\n';
  out << "end\n";
  return out.str();
}

worker_result worker_result::deserialize(const std::string& text) {
  worker_result r;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line) && line != "end") {
    if (line.size() < 2)
      continue;
    std::string rest = line.substr(2);
    std::istringstream fields(rest);
    std::string key;
    switch (line[0]) {
    case 's':
      fields >> key >> r.sums[key];
      break;
    case 'n':
      fields >> key >> r.mins[key];
      break;
    case 'x':
      fields >> key >> r.maxs[key];
      break;
    case 'c':
      fields >> r.bench_cpu_s;
      break;
    case 'h':
      r.latency_us = histogram::deserialize(rest);
      break;
    case 'e':
      r.first_error = rest;
      break;
    }
  }
  return r;
}

} // namespace rtd::bench
