// mc_bench: times rtd's Monte Carlo npv kernel, 1,000,000 iterations x 10 cash flows on one
// core, best of 5 (the same computation as mc_numpy.py). Prints one JSON line.
//   mc_bench [--iterations N] [--repeat R]

#include "finance/monte_carlo.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
  std::uint64_t iterations = 1'000'000;
  int repeat = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--iterations") == 0)
      iterations = std::strtoull(argv[i + 1], nullptr, 10);
    else if (std::strcmp(argv[i], "--repeat") == 0)
      repeat = std::atoi(argv[i + 1]);
  }
  rtd::finance::monte_carlo_params params;
  for (int t = 0; t < 10; ++t)
    params.cash_flows.push_back(100000 + 10000 * t);
  params.initial_investment = 1'000'000;
  params.discount_rate = 0.10;
  params.volatility = 0.20;
  params.iterations = iterations;
  params.seed = 42;

  double best_s = 1e300;
  rtd::finance::monte_carlo_result result;
  for (int r = 0; r < repeat; ++r) {
    auto start = std::chrono::steady_clock::now();
    auto out = rtd::finance::monte_carlo(params);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!out) {
      std::fprintf(stderr, "mc_bench: %s\n", out.error().message.c_str());
      return 1;
    }
    result = *out;
    best_s = std::min(best_s, s);
  }
  std::printf("{\"impl\":\"rtd_finance\",\"iterations\":%llu,\"cash_flows\":10,\"repeat\":%d,"
              "\"best_ms\":%.3f,\"mean_npv\":%.6f,\"std_npv\":%.6f,\"p5\":%.6f,\"p50\":%.6f,"
              "\"p95\":%.6f,\"probability_of_loss\":%.6f}\n",
              static_cast<unsigned long long>(iterations), repeat, best_s * 1e3, result.mean_npv,
              result.std_npv, result.p5, result.p50, result.p95, result.probability_of_loss);
  return 0;
}
