"""Funnel plot control limits: is a locality's rate different from the partnership's beyond chance?

A funnel plot shows each area's rate against its population, with control
limits around a target rate (the partnership's) that narrow as the population
grows: a small locality's rate varies more by chance, so it needs a bigger
difference to stand out. Source: Spiegelhalter DJ. Funnel plots for comparing
institutional performance. Stat Med 2005;24:1185-1202 (section 2 and appendix
A.1: limits for a Poisson count, with the interpolation that makes the exact
limits smooth); the 95% and 99.8% limits are his "2 and 3 standard deviation"
limits (two-sided p = 0.05 and 0.002), as used by PHE/OHID Fingertips and
ScotPHO.

Exact Poisson limits (the default). Under the target rate theta (per `per`
people), an area of n people expects lambda = theta x n / per events. For a
probability p, let r be the smallest whole number with P(Y <= r) >= p for Y ~
Poisson(lambda), and alpha = (P(Y <= r) - p) / (P(Y <= r) - P(Y <= r - 1));
the limit is (r - alpha) / n x per. Lower limits use p = (1 - level) / 2,
upper limits p = 1 - (1 - level) / 2.
Normal approximation (method="normal"): theta +/- z sqrt(theta x per / n).
Exact limits are the default because a small locality (a few hundred people
aged 65+, say) expects only a handful of events, where the normal
approximation is symmetric when the truth is skewed, and can go below zero.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

#: The funnel's limits: 95% ("2 sigma") and 99.8% ("3 sigma").
FUNNEL_LEVELS = (0.95, 0.998)

#: funnel_position's answers, from highest to lowest.
ABOVE_998, ABOVE_95, WITHIN, BELOW_95, BELOW_998 = (
    "above the 99.8% limit",
    "above the 95% limit",
    "within the 95% limits",
    "below the 95% limit",
    "below the 99.8% limit",
)
FUNNEL_POSITIONS = (ABOVE_998, ABOVE_95, WITHIN, BELOW_95, BELOW_998)


def _label(level: float) -> str:
    return f"{100 * level:g}".replace(".", "_")


def poisson_limit(expected, p: float) -> np.ndarray:
    """The p-th quantile of Poisson(expected) counts, interpolated (Spiegelhalter 2005, A.1).

    Returns r - alpha (module docstring): a smooth function of `expected`, so
    that the funnel's limits are smooth curves rather than steps.
    """
    from scipy.stats import poisson  # imported when needed: scipy.stats is slow to import

    if not 0 < p < 1:
        raise ValueError(f"p must be between 0 and 1, not {p!r}")
    lam = np.asarray(expected, dtype=float)
    r = poisson.ppf(p, lam)
    at_r = poisson.cdf(r, lam)
    below = poisson.cdf(r - 1, lam)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(at_r > below, (at_r - p) / (at_r - below), 0.0)
    return r - alpha


def funnel_limits(
    target: float,
    population,
    *,
    per: float = 1000,
    levels: Sequence[float] = FUNNEL_LEVELS,
    method: str = "poisson",
) -> pd.DataFrame:
    """Control limits around `target` (a rate per `per` people) for each population size.

    Columns: population, target, then lower_95, upper_95, lower_99_8, upper_99_8
    (one pair per level). method="poisson": exact Poisson limits with
    Spiegelhalter's interpolation; method="normal": target +/- z sqrt(target x
    per / population). Limits are rates per `per`; a lower limit is never below 0.
    Source: Spiegelhalter (2005), module docstring.
    """
    if method not in ("poisson", "normal"):
        raise ValueError(f"method must be 'poisson' or 'normal', not {method!r}")
    if not target >= 0 or not np.isfinite(target):
        raise ValueError(f"the target rate must be a number of 0 or more, not {target!r}")
    pop = np.atleast_1d(np.asarray(population, dtype=float))
    if (pop <= 0).any() or np.isnan(pop).any():
        raise ValueError("funnel_limits: every population must be more than 0")
    out = pd.DataFrame({"population": pop, "target": float(target)})
    expected = target * pop / per
    for level in levels:
        if not 0 < level < 1:
            raise ValueError(f"a level must be between 0 and 1 (e.g. 0.95), not {level!r}")
        tail = (1 - level) / 2
        if method == "poisson":
            low = poisson_limit(expected, tail) / pop * per
            high = poisson_limit(expected, 1 - tail) / pop * per
        else:
            from scipy.stats import norm

            spread = norm.ppf(1 - tail) * np.sqrt(target * per / pop)
            low, high = target - spread, target + spread
        out[f"lower_{_label(level)}"] = np.maximum(low, 0)
        out[f"upper_{_label(level)}"] = high
    return out


def funnel_position(
    count,
    population,
    target: float,
    *,
    per: float = 1000,
    method: str = "poisson",
) -> pd.Series:
    """Where each area's rate (count / population x per) lies in the funnel around `target`.

    One of FUNNEL_POSITIONS: above the 99.8% limit, above the 95% limit, within
    the 95% limits, below the 95% limit, below the 99.8% limit (the limits at the
    area's own population, funnel_limits). A point exactly on a limit is within
    it. Missing count or population: missing.
    """
    counts = np.atleast_1d(np.asarray(count, dtype=float))
    pop = np.atleast_1d(np.asarray(population, dtype=float))
    known = ~np.isnan(counts) & ~np.isnan(pop) & (pop > 0)
    result = np.full(len(counts), None, dtype=object)
    if known.any():
        limits = funnel_limits(target, pop[known], per=per, levels=FUNNEL_LEVELS, method=method)
        rate = counts[known] / pop[known] * per
        position = np.full(len(rate), WITHIN, dtype=object)
        position[rate > limits["upper_95"].to_numpy()] = ABOVE_95
        position[rate > limits["upper_99_8"].to_numpy()] = ABOVE_998
        position[rate < limits["lower_95"].to_numpy()] = BELOW_95
        position[rate < limits["lower_99_8"].to_numpy()] = BELOW_998
        result[known] = position
    index = count.index if isinstance(count, pd.Series) else None
    return pd.Series(result, index=index, dtype="object", name="funnel_position")
