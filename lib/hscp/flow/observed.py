"""An area's observed year, as the calibration of the older people's pathway needs it."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hscp.flow._common import CalibrationError
from hscp.flow.pathway import AGE_BAND_LABELS, AGE_BANDS


@dataclass(frozen=True)
class Observed:
    """One area's observed year, as the calibration needs it (hscp.flow.data.observe makes it).

    Rates are per day over the window `start` to `end` (inclusive, `days` long);
    people are averages over the window. All for people aged 65+.
    """

    area: str
    start: pd.Timestamp
    end: pd.Timestamp
    admissions: float  # emergency admissions (stays, including readmissions) a day
    admissions_by_band: dict[str, float]
    population: pd.DataFrame  # year, band, population: mid-year estimates for the area
    occupied_beds: float  # average acute beds occupied by emergency stays of people 65+
    deaths_in_hospital: float  # emergency stays ending in death, a day
    readmission_share: float  # of live discharges, readmitted as an emergency within 28 days
    ppa_share: float  # of emergency admissions, potentially preventable
    los_ppa: float  # average length of stay of potentially preventable admissions (days)
    seasonality: dict[int, float]  # month (1-12) -> admissions a day that month / the year's
    delayed_beds: dict[str, float]  # average beds occupied by delayed people, by delay group
    delays_started: dict[str, float]  # delays a day, by delay group
    delay_destinations: dict[str, dict[str, float]]  # group -> destination -> share (may be empty)
    capacity_share: dict[str, float | None]  # service -> share of waits with place/funding codes
    growth: pd.DataFrame = field(default_factory=pd.DataFrame)  # year, band, growth vs the window
    monthly: pd.DataFrame = field(default_factory=pd.DataFrame)  # month, observed series

    @property
    def days(self) -> int:
        return int((self.end - self.start).days) + 1

    def population_65plus(self) -> float:
        """Average population 65+ over the window (interpolated between mid-years)."""
        return sum(self.band_population(b) for b in AGE_BANDS)

    def band_population(self, band: str) -> float:
        times = pd.date_range(self.start, self.end, freq="D")
        return float(np.mean(_interpolate_population(self.population, band, times)))


def _mid_year_days(years) -> np.ndarray:
    return (
        pd.to_datetime([f"{int(y)}-07-01" for y in years])
        .to_numpy("datetime64[D]")
        .astype(np.int64)
    )


def _interpolate_population(population: pd.DataFrame, band: str, when) -> np.ndarray:
    """Population of a band on each day, linear between mid-year estimates (flat beyond)."""
    rows = population[population["band"] == band].sort_values("year")
    if rows.empty:
        raise CalibrationError(f"no population aged {AGE_BAND_LABELS[band]} for the area")
    days = pd.DatetimeIndex(when).to_numpy("datetime64[D]").astype(np.int64)
    return np.interp(days, _mid_year_days(rows["year"]), rows["population"].to_numpy(float))


# --- calibration: the observed year as the model's steady state ---------------------------------
