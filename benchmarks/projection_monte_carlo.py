"""Speed of the projection's Monte Carlo (hscp.projection.monte_carlo), measured not asserted.

The issue asks for thousands of runs "in well under a second", vectorised over
runs. This times, for a Glasgow-sized partnership (about 100,000 emergency
admissions and 700,000 bed days a year) projected over 13 years:
  - monte_carlo with 1,000 / 5,000 / 20,000 runs (the scenario arithmetic);
  - the beds needed (occupancy rule and Erlang-B): every run at the horizon
    (for the S-curve) and the fan from the percentiles of bed days (beds rise
    with bed days, so the percentiles carry over), against sizing every run in
    every year;
  - a plain Python loop over runs calling apply_scenarios, as the baseline a
    non-vectorised version would be.

Run: .venv/bin/python benchmarks/projection_monte_carlo.py
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from hscp import projection as pj


def demography(years: range) -> pd.DataFrame:
    n = np.arange(len(years))
    return pd.DataFrame(
        {
            "year": list(years),
            "population": 630_000 * 1.004**n,
            "admissions": 100_000 * 1.012**n,
            "bed_days": 700_000 * 1.015**n,
            "ppa_admissions": 18_000 * 1.013**n,
            "ppa_bed_days": 120_000 * 1.016**n,
        }
    )


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    params = pj.load_params()
    years = range(2023, params.horizon + 1)
    demo = demography(years)
    base, horizon = years[0], years[-1]
    print(
        f"Projection {base}-{horizon} ({len(years)} years), scenarios: "
        + ", ".join(s.name for s in params.scenarios)
    )
    for runs in (1_000, 5_000, 20_000):
        t = best_of(
            lambda r=runs: pj.monte_carlo(demo, params.scenarios, base, horizon, runs=r, seed=1)
        )
        print(f"  monte_carlo, {runs:>6,} runs: {t * 1000:8.1f} ms")
    mc = pj.monte_carlo(demo, params.scenarios, base, horizon, runs=5_000, seed=1)

    def beds(bed_days, years):
        peak = bed_days / pj.days_in_financial_year(years) * 1.1
        return np.maximum(pj.beds_at_occupancy(peak, 0.85), pj.beds_for_blocking(peak, 0.01))

    at_horizon = mc.bed_days[:, -1]
    quantiles = np.percentile(mc.bed_days, [10, 50, 90], axis=0, method="inverted_cdf")
    t_horizon = best_of(lambda: beds(at_horizon, [horizon]))
    t_fan = best_of(lambda: [beds(q, mc.years) for q in quantiles])
    t_all = best_of(lambda: beds(mc.bed_days, mc.years), repeat=1)
    print(
        f"  beds of every run at the horizon (S-curve, 5,000 loads, ~2,100 beds): {t_horizon * 1000:8.1f} ms"
    )
    print(
        f"  beds fan from bed-day percentiles (3 x {len(years)} loads):          {t_fan * 1000:8.1f} ms"
    )
    print(
        f"  (for comparison: beds of every run and year, 5,000 x {len(years)}:   {t_all * 1000:8.1f} ms)"
    )

    def loop(runs=1_000):
        for i in range(runs):
            values = {name: float(mc.draws[name].iloc[i]) for name in mc.draws}
            pj.apply_scenarios(demo, params.scenarios, base, horizon, values)

    t = best_of(loop, repeat=1)
    print(
        f"  baseline: a Python loop of apply_scenarios, 1,000 runs: {t * 1000:8.1f} ms "
        f"(5,000 runs about {t * 5:.1f} s)"
    )


if __name__ == "__main__":
    main()
