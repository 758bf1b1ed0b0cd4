#!/usr/bin/python3
"""Reference values for tests/finance/forecast_test.cpp and forecast_npv_test.cpp.

Fits Debian's python3-statsmodels 0.13 on fixed series and prints a C++ header with the
results: ETSModel(error="add", trend="add").fit() with get_prediction(...).summary_frame() for
Holt, AutoReg(lags=1, trend="c").fit() with get_prediction(...).summary_frame() for AR(1), and
large seeded simulations of the same models for forecast_npv.

ETSModel's L-BFGS from its single default start can stop in a poor local minimum (it does on
"short"), so the Holt reference is the lowest-SSE fit over the default start and a grid of
starting (alpha, beta); the default fit's SSE is kept too, as the bar our fit must clear.

    forecast_reference.py > forecast_reference.hpp     regenerate the header
    forecast_reference.py --check forecast_reference.hpp
                                                       recompute and compare every number
                                                       (relative 1e-9); exit 1 on a mismatch,
                                                       77 (CTest's skip) without statsmodels
"""
import re
import sys

try:
    import numpy as np
    import pandas as pd
    import statsmodels
    from statsmodels.tsa.ar_model import AutoReg
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel
except ImportError as e:
    print(f"skipped: {e}", file=sys.stderr)
    sys.exit(77)

# Fixed series, one per kind of indicator (drawn once with numpy, rounded, frozen here):
# a tech_index-like trend with AR noise, 60 steps of the discount_rate model (mean-reverting
# around 0.08), and a short steady climb of an adoption share.
SERIES = {
    "trend": [100.0, 100.06, 101.0, 101.98, 103.71, 101.61, 100.22, 100.81, 101.48, 102.5,
              103.28, 102.26, 103.15, 103.45, 102.75, 104.54, 103.96, 104.3, 105.44, 104.96,
              104.79, 104.69, 104.54, 105.42, 106.32, 106.64, 107.34, 107.26, 107.16, 107.08,
              106.9, 108.54, 110.23, 108.57, 108.03, 108.95, 108.29, 108.46, 108.69, 109.72],
    "rate": [0.08, 0.08123, 0.08302, 0.08518, 0.08846, 0.08969, 0.08942, 0.08974, 0.09287,
             0.09265, 0.09338, 0.09191, 0.09054, 0.08963, 0.08957, 0.08615, 0.08824, 0.08613,
             0.0879, 0.08849, 0.08894, 0.08755, 0.08695, 0.08602, 0.08454, 0.08622, 0.08432,
             0.08319, 0.0811, 0.08202, 0.08215, 0.08389, 0.0842, 0.08342, 0.08382, 0.08474,
             0.0855, 0.08831, 0.08789, 0.08801, 0.08983, 0.09045, 0.09093, 0.09009, 0.09164,
             0.09244, 0.09058, 0.08942, 0.08895, 0.09071, 0.0894, 0.0888, 0.08956, 0.09051,
             0.08799, 0.08556, 0.0857, 0.08748, 0.08562, 0.0836],
    "short": [0.35, 0.3649, 0.3751, 0.3896, 0.4, 0.4112, 0.4196, 0.4288, 0.4354, 0.4495,
              0.4558, 0.4631],
}
HORIZON = 12

# forecast_npv: five yearly cash flows discounted along the forecast of SERIES["rate"].
NPV_CASH_FLOWS = [30000.0, 35000.0, 40000.0, 45000.0, 50000.0]
NPV_INVESTMENT = 150000.0
NPV_PATHS = 400000
NPV_SEED = 20240115


def intervals(prediction):
    """[mean, lower_80, upper_80, lower_95, upper_95] per step of a get_prediction result."""
    f80 = np.asarray(prediction.summary_frame(alpha=0.20))
    f95 = np.asarray(prediction.summary_frame(alpha=0.05))
    # ETS frames are (mean, pi_lower, pi_upper); AutoReg's (mean, mean_se, lower, upper).
    lo, hi = (1, 2) if f80.shape[1] == 3 else (2, 3)
    return [[f80[k, 0], f80[k, lo], f80[k, hi], f95[k, lo], f95[k, hi]]
            for k in range(f80.shape[0])]


def holt(y):
    model = ETSModel(pd.Series(y), error="add", trend="add")
    default = model.fit(disp=False)
    res = default
    for alpha in (0.1, 0.3, 0.5, 0.7, 0.9):
        for beta_star in (0.01, 0.1, 0.5, 0.9):
            start = [alpha, alpha * beta_star, model.initial_level, model.initial_trend]
            fit = model.fit(start_params=start, disp=False)
            if fit.sse < res.sse:
                res = fit
    n = len(y)
    return res, {"alpha": res.params[0], "beta": res.params[1], "l0": res.params[2],
                 "b0": res.params[3], "sse": res.sse, "default_sse": default.sse,
                 "sigma": np.sqrt(res.mse),
                 "rows": intervals(res.get_prediction(start=n, end=n + HORIZON - 1))}


def ar1(y):
    res = AutoReg(np.asarray(y), lags=1, trend="c").fit()
    n = len(y)
    return res, {"c": res.params[0], "phi": res.params[1], "sigma": np.sqrt(res.sigma2),
                 "rows": intervals(res.get_prediction(start=n, end=n + HORIZON - 1))}


def npv_along(rates):
    """npv of NPV_CASH_FLOWS along each row of `rates` (paths x years)."""
    factors = np.cumprod(1.0 / (1.0 + rates), axis=-1)
    return factors @ np.asarray(NPV_CASH_FLOWS) - NPV_INVESTMENT


def npv_interval(npvs):
    """2.5% and 97.5% quantiles and the standard error of each (Maritz-Jarrett would be
    exact; the asymptotic sqrt(p(1-p)/N) / density, with the density from the spacing of
    quantiles 1% apart, is enough for a tolerance)."""
    out = []
    for p in (0.025, 0.975):
        q = np.quantile(npvs, p)
        density = 0.02 / (np.quantile(npvs, p + 0.01) - np.quantile(npvs, p - 0.01))
        out += [q, np.sqrt(p * (1 - p) / len(npvs)) / density]
    return out


def npv_references():
    """Point npv and simulated interval for holt and ar1 fitted to SERIES["rate"]."""
    rng = np.random.default_rng(NPV_SEED)
    h = len(NPV_CASH_FLOWS)
    y = SERIES["rate"]
    refs = {}
    # Holt: statsmodels' own simulation of its fitted model (anchor="end": from the last state).
    res, p = holt(y)
    point = np.asarray(res.forecast(h))
    sims = np.asarray(res.simulate(h, anchor="end", repetitions=NPV_PATHS,
                                   random_state=NPV_SEED)).T
    refs["holt"] = [p["alpha"], p["beta"], npv_along(point)] + npv_interval(npv_along(sims))
    # AR(1): the recursion x_k = c + phi x_{k-1} + sigma z written out with numpy.
    res, p = ar1(y)
    point = np.asarray(res.forecast(h))
    x = np.full(NPV_PATHS, y[-1])
    sims = np.empty((NPV_PATHS, h))
    for k in range(h):
        x = p["c"] + p["phi"] * x + p["sigma"] * rng.standard_normal(NPV_PATHS)
        sims[:, k] = x
    refs["ar1"] = [np.nan, np.nan, npv_along(point)] + npv_interval(npv_along(sims))
    return refs


def cpp(values):
    return ", ".join(repr(float(v)) for v in values)


def header():
    lines = [
        "#pragma once",
        "// clang-format off",
        f"// Generated by forecast_reference.py (statsmodels {statsmodels.__version__}, numpy "
        f"{np.__version__}); do not edit.",
        "// Regenerate: /usr/bin/python3 tests/finance/forecast_reference.py > "
        "tests/finance/forecast_reference.hpp",
        "#include <cmath>",
        "#include <vector>",
        "",
        "namespace rtd::finance::reference {",
        "",
        "/// statsmodels' prediction at one step: mean, 80% and 95% interval bounds.",
        "struct interval_row {",
        "  double value, lower_80, upper_80, lower_95, upper_95;",
        "};",
        "",
        "/// One fixed series with statsmodels' Holt (ETSModel, best of several starts;",
        "/// default_sse from the default start) and AR(1) (AutoReg) results.",
        "struct series_reference {",
        "  const char* name;",
        "  std::vector<double> values;",
        "  double alpha, beta, l0, b0, sse, default_sse, holt_sigma;",
        "  std::vector<interval_row> holt;",
        "  double c, phi, ar1_sigma;",
        "  std::vector<interval_row> ar1;",
        "};",
        "",
        f"constexpr std::size_t horizon = {HORIZON};",
        "",
        "inline const std::vector<series_reference> series{",
    ]
    for name, y in SERIES.items():
        _, h = holt(y)
        _, a = ar1(y)
        lines.append(f'    {{"{name}",')
        lines.append(f"     {{{cpp(y)}}},")
        holt_fields = ("alpha", "beta", "l0", "b0", "sse", "default_sse", "sigma")
        lines.append(f"     {cpp([h[k] for k in holt_fields])},")
        lines.append("     {" + ", ".join("{" + cpp(r) + "}" for r in h["rows"]) + "},")
        lines.append(f"     {cpp([a[k] for k in ('c', 'phi', 'sigma')])},")
        lines.append("     {" + ", ".join("{" + cpp(r) + "}" for r in a["rows"]) + "}},")
    lines += [
        "};",
        "",
        "/// forecast_npv on SERIES['rate']: statsmodels' alpha and beta (holt only, NAN for ar1),",
        f"/// the npv on the point forecast, and the 2.5%/97.5% quantiles of {NPV_PATHS} simulated",
        "/// npvs with the standard error of each.",
        "struct npv_reference {",
        "  const char* method;",
        "  double alpha, beta, npv, lower_95, lower_se, upper_95, upper_se;",
        "};",
        f"inline const std::vector<double> npv_cash_flows{{{cpp(NPV_CASH_FLOWS)}}};",
        f"constexpr double npv_investment = {NPV_INVESTMENT!r};",
        f"constexpr std::size_t npv_paths = {NPV_PATHS};",
        "inline const std::vector<npv_reference> npv{",
    ]
    for method, values in npv_references().items():
        lines.append(f'    {{"{method}", ' + cpp(values).replace("nan", "NAN") + "},")
    lines += ["};", "", "} // namespace rtd::finance::reference", ""]
    return "\n".join(lines)


NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\d+)(?:[eE][-+]?\d+)?|NAN")


def check(path):
    """Compares every number of `path` with a fresh computation, relative 1e-9."""
    with open(path) as f:
        old = NUMBER.findall(f.read())
    new = NUMBER.findall(header())
    if len(old) != len(new):
        print(f"{path}: {len(old)} numbers, recomputed {len(new)}")
        return 1
    bad = [(a, b) for a, b in zip(old, new)
           if (a == "NAN") != (b == "NAN")
           or (a != "NAN" and abs(float(a) - float(b)) > 1e-9 * max(abs(float(b)), 1e-300))]
    for a, b in bad[:10]:
        print(f"{path}: {a} recomputed as {b}")
    print(f"{len(new) - len(bad)} passed, {len(bad)} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        sys.exit(check(sys.argv[2]))
    print(header(), end="")
