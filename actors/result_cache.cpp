#include "actors/result_cache.hpp"

#include <openssl/evp.h>

#include <cstring>
#include <stdexcept>

namespace rtd {

namespace {

/// SHA-256, fetched once: OpenSSL 3 looks a digest up by name on every EVP_Digest, which
/// costs three times the digest of a short key.
const EVP_MD* sha256() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

/// One digest context per thread, reused.
struct digest_context {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~digest_context() { EVP_MD_CTX_free(ctx); }
};

} // namespace

result_cache::key result_cache::key_of(std::string_view canonical) {
  thread_local digest_context context;
  key k;
  unsigned int size = 0;
  auto* ctx = context.ctx;
  if (!sha256() || !ctx || EVP_DigestInit_ex2(ctx, sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx, canonical.data(), canonical.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, k.data(), &size) != 1 || size != k.size())
    throw std::runtime_error("SHA-256 is not available");
  return k;
}

std::size_t result_cache::key_hash::operator()(const key& k) const noexcept {
  // The key is a cryptographic digest already: any 8 of its bytes are uniform.
  std::size_t h;
  std::memcpy(&h, k.data(), sizeof(h));
  return h;
}

result_cache::result_cache(limits l) : limits_(l) {}

std::optional<std::string> result_cache::find(const key& k, clock::time_point now) {
  auto it = index_.find(k);
  if (it == index_.end()) {
    ++misses_;
    return std::nullopt;
  }
  auto e = it->second;
  if (now - e->stored > limits_.ttl) {
    remove(e);
    ++expired_;
    ++misses_;
    return std::nullopt;
  }
  by_use_.splice(by_use_.begin(), by_use_, e->use);
  ++hits_;
  return e->result;
}

void result_cache::insert(const key& k, std::string result, clock::time_point now) {
  erase(k);
  auto bytes = charge(result);
  if (limits_.max_entries == 0 || bytes > limits_.max_bytes)
    return;
  while (!by_use_.empty() &&
         (index_.size() >= limits_.max_entries || bytes_ + bytes > limits_.max_bytes)) {
    remove(by_use_.back());
    ++evictions_;
  }
  auto e = by_age_.insert(by_age_.end(), entry{k, std::move(result), now, {}});
  by_use_.push_front(e);
  e->use = by_use_.begin();
  index_.emplace(k, e);
  bytes_ += bytes;
}

bool result_cache::erase(const key& k) {
  auto it = index_.find(k);
  if (it == index_.end())
    return false;
  remove(it->second);
  return true;
}

std::size_t result_cache::expire(clock::time_point now) {
  std::size_t n = 0;
  while (!by_age_.empty() && now - by_age_.front().stored > limits_.ttl) {
    remove(by_age_.begin());
    ++n;
  }
  expired_ += n;
  return n;
}

std::optional<result_cache::clock::time_point> result_cache::next_expiry() const {
  if (by_age_.empty())
    return std::nullopt;
  return by_age_.front().stored + limits_.ttl;
}

void result_cache::remove(age_list::iterator it) {
  bytes_ -= charge(it->result);
  index_.erase(it->k);
  by_use_.erase(it->use);
  by_age_.erase(it);
}

} // namespace rtd
