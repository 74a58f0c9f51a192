"""Monte Carlo runs of the scenarios, their percentiles and S-curve."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hscp.projection._checks import ProjectionError
from hscp.projection.scenarios import Scenario, combine, scenario_factors


@dataclass
class MonteCarlo:
    """Monte Carlo runs of the scenarios: arrays of shape (runs, years)."""

    years: np.ndarray
    draws: pd.DataFrame
    admissions: np.ndarray
    bed_days: np.ndarray
    seed: int

    @property
    def runs(self) -> int:
        return len(self.draws)

    def values(self, measure: str) -> np.ndarray:
        if measure not in ("admissions", "bed_days"):
            raise ValueError(f"measure must be 'admissions' or 'bed_days', not {measure!r}")
        return getattr(self, measure)

    def fan(self, measure: str, scale=1.0) -> pd.DataFrame:
        """Percentiles by year: year, p10, p50, p90 (x scale, e.g. 1 / days for beds)."""
        values = self.values(measure) * np.asarray(scale, dtype=float)
        p10, p50, p90 = np.percentile(values, [10, 50, 90], axis=0)
        return pd.DataFrame({"year": self.years, "p10": p10, "p50": p50, "p90": p90})

    def at(self, year: int, measure: str) -> np.ndarray:
        """Every run's value in one year."""
        index = np.flatnonzero(self.years == year)
        if not len(index):
            raise ProjectionError(f"No year {year} in the Monte Carlo runs")
        return self.values(measure)[:, index[0]]


def monte_carlo(
    demography: pd.DataFrame,
    scenarios: Sequence[Scenario],
    base_year: int,
    horizon: int,
    *,
    runs: int,
    seed: int,
) -> MonteCarlo:
    """Draw every scenario's parameter `runs` times and project each draw (vectorised).

    Each parameter is normal with mean (low + high) / 2 and sd (high - low) / 2.563,
    so its 80% interval is (low, high); the draws come from numpy's default
    generator seeded with `seed`, one scenario after another in their order, so a
    seed gives the same runs every time.
    """
    if runs < 1:
        raise ValueError(f"runs must be 1 or more, not {runs}")
    rng = np.random.default_rng(seed)
    draws = {sc.name: rng.normal(sc.mean, sc.sd, size=runs) for sc in scenarios}
    factors = scenario_factors(scenarios, demography["year"], base_year, horizon, draws)
    admissions, bed_days = combine(demography, factors)
    shape = (runs, len(demography))
    return MonteCarlo(
        years=demography["year"].to_numpy(),
        draws=pd.DataFrame(draws),
        admissions=np.broadcast_to(admissions, shape).copy(),
        bed_days=np.broadcast_to(bed_days, shape).copy(),
        seed=seed,
    )


def s_curve_table(values: np.ndarray) -> pd.DataFrame:
    """The distribution of results as an S-curve: value (sorted), probability that the
    result is at or below it (i / n)."""
    ordered = np.sort(np.asarray(values, dtype=float))
    n = len(ordered)
    return pd.DataFrame({"value": ordered, "probability": np.arange(1, n + 1) / n})
