// rtd-token: issues an HS256 token for testing, or verifies one read from stdin, with the
// secret from --secret-file or RTD_JWT_SECRET (never a command-line value).
#include "auth/jwt_verifier.hpp"
#include "auth/secret.hpp"
#include "auth/token_issuer.hpp"

#include <charconv>
#include <iostream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace {

using namespace rtd::auth;
using std::chrono::seconds;

/// Bounds --ttl, --nbf and --leeway, so that now plus any of them stays on the clock.
constexpr seconds max_offset{315'360'000}; // ten years

constexpr const char* usage =
    "usage: rtd-token --sub=NAME [--roles=ROLE,...] [--ttl=SECONDS] [--nbf=SECONDS]\n"
    "                 [--secret-file=PATH]\n"
    "       rtd-token --verify [--leeway=SECONDS] [--secret-file=PATH] < token\n"
    "Issues an HS256 token valid for --ttl seconds (default 3600; negative: already\n"
    "expired), not before now + --nbf seconds when given; or verifies the token on stdin.\n"
    "The secret comes from --secret-file, else from the environment variable RTD_JWT_SECRET.\n";

/// A command line rtd-token does not understand: answered with the usage.
struct usage_error : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

/// `--name=value` arguments by name; `--verify` has an empty value.
using options = std::map<std::string, std::string, std::less<>>;

options parse_arguments(int argc, char** argv) {
  // Each option, and whether it takes a value.
  static const std::map<std::string_view, bool> known{
      {"sub", true},     {"roles", true},  {"ttl", true},        {"nbf", true},
      {"verify", false}, {"leeway", true}, {"secret-file", true}};
  options result;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.substr(0, 2) != "--")
      throw usage_error{"unexpected argument " + std::string{arg}};
    auto eq = arg.find('=');
    auto name = arg.substr(2, eq == std::string_view::npos ? std::string_view::npos : eq - 2);
    auto found = known.find(name);
    if (found == known.end() || found->second != (eq != std::string_view::npos))
      throw usage_error{"unknown or malformed option " + std::string{arg}};
    result[std::string{name}] = eq == std::string_view::npos ? "" : std::string{arg.substr(eq + 1)};
  }
  return result;
}

std::optional<std::string> get(const options& opts, std::string_view name) {
  auto found = opts.find(name);
  return found == opts.end() ? std::nullopt : std::optional{found->second};
}

seconds get_seconds(const options& opts, std::string_view name, seconds fallback) {
  auto text = get(opts, name);
  if (!text)
    return fallback;
  long long value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || end != text->data() + text->size() || value < -max_offset.count() ||
      value > max_offset.count())
    throw usage_error{"--" + std::string{name} + " must be a whole number of seconds, at most " +
                      std::to_string(max_offset.count()) + " either way"};
  return seconds{value};
}

std::vector<std::string> split_roles(std::string_view list) {
  std::vector<std::string> roles;
  for (std::size_t start = 0; !list.empty();) {
    auto comma = list.find(',', start);
    auto role = list.substr(start, comma == std::string_view::npos ? comma : comma - start);
    if (role.empty())
      throw usage_error{"--roles has an empty role"};
    roles.emplace_back(role);
    if (comma == std::string_view::npos)
      break;
    start = comma + 1;
  }
  return roles;
}

std::string secret(const options& opts) {
  auto loaded = load_secret(get(opts, "secret-file"), "--secret-file");
  if (auto* error = std::get_if<secret_error>(&loaded))
    throw std::runtime_error{error->message};
  return std::get<std::string>(std::move(loaded));
}

int issue(const options& opts) {
  auto sub = get(opts, "sub");
  if (!sub)
    throw usage_error{"--sub is required"};
  auto now = clock::now();
  token_request request{*sub, split_roles(get(opts, "roles").value_or("")), now,
                        now + get_seconds(opts, "ttl", seconds{3600}), std::nullopt};
  if (get(opts, "nbf"))
    request.not_before = now + get_seconds(opts, "nbf", seconds{0});
  std::cout << issue_token(secret(opts), request) << '\n';
  return 0;
}

int verify(const options& opts) {
  jwt_verifier verifier{secret(opts), get_seconds(opts, "leeway", jwt_verifier::default_leeway)};
  std::string token;
  std::getline(std::cin, token);
  auto result = verifier.verify(token, clock::now());
  if (auto* refused = std::get_if<rejection>(&result)) {
    std::cerr << "rejected: " << refused->reason << '\n';
    return 1;
  }
  const auto& c = std::get<claims>(result);
  std::cout << "valid: sub=" << c.subject << " roles=";
  for (std::size_t i = 0; i < c.roles.size(); ++i)
    std::cout << (i ? "," : "") << c.roles[i];
  std::cout << " exp=" << std::chrono::duration_cast<seconds>(c.expires.time_since_epoch()).count()
            << '\n';
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  try {
    auto opts = parse_arguments(argc, argv);
    return opts.count("verify") ? verify(opts) : issue(opts);
  } catch (const usage_error& e) {
    std::cerr << "rtd-token: " << e.what() << '\n' << usage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "rtd-token: " << e.what() << '\n';
    return 1;
  }
}
