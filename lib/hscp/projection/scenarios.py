"""Scenarios on top of demography: time profiles, factors, and the waterfall of growth."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hscp import text
from hscp.conventions.financial_years import financial_year_label
from hscp.params.projections import PROFILES
from hscp.projection._checks import ProjectionError
from hscp.projection.activity import ACTIVITY

#: Two-sided 80% interval of a normal distribution: hi - lo = 2 x 1.2816 sd.
Z80_WIDTH = 2.563


def time_profile(years, profile: str, start: int, end: int) -> np.ndarray:
    """The share of a scenario's full change reached in each year, from 0 to 1.

    `start` is the first year with any change, `end` the year the full change is
    reached. With s = (year - start + 1) / (end - start + 1), clipped to 0-1:
    linear s; front-loaded 1 - (1 - s)^2 (most of the change early); back-loaded
    s^2 (most of it late); step: all of it from `start` on.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown time profile {profile!r}; choose one of {', '.join(PROFILES)}")
    if end < start:
        raise ValueError(f"a scenario's end year ({end}) is before its start year ({start})")
    years = np.asarray(years, dtype=float)
    s = np.clip((years - start + 1) / (end - start + 1), 0.0, 1.0)
    if profile == "linear":
        return s
    if profile == "front-loaded":
        return 1 - (1 - s) ** 2
    if profile == "back-loaded":
        return s**2
    return (years >= start).astype(float)


@dataclass(frozen=True)
class Scenario:
    """One change on top of demography, given as an 80% interval (low, high).

    `per` is "horizon" (the change reached by `end`, e.g. -0.1 = 10% shorter
    stays) or "year" (a change each year, compounded over the years of change).
    For ppa_avoidance the value is the share of PPAs avoided (0 to 1).
    """

    name: str
    label: str
    low: float
    high: float
    profile: str = "linear"
    per: str = "horizon"
    start: int | None = None
    end: int | None = None

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    @property
    def sd(self) -> float:
        return (self.high - self.low) / Z80_WIDTH

    def years(self, base_year: int, horizon: int) -> tuple[int, int]:
        """First year of change and the year the change is complete."""
        start = self.start if self.start is not None else base_year + 1
        end = self.end if self.end is not None else horizon
        if start <= base_year:
            raise ProjectionError(
                f"Scenario {self.name!r}: start {start} must be after the base year {base_year}"
            )
        if end < start:
            raise ProjectionError(f"Scenario {self.name!r}: end {end} is before start {start}")
        return start, end

    def describe(self) -> str:
        """The interval in words, e.g. '-1.0% to +1.0% a year (80% interval), linear'."""
        if self.name == "ppa_avoidance":
            span = f"{text.percent(self.low, 0)} to {text.percent(self.high, 0)} of PPAs avoided"
        else:
            unit = " a year" if self.per == "year" else ""
            span = f"{text.signed_percent(self.low)} to {text.signed_percent(self.high)}{unit}"
        return f"{span} (80% interval), {self.profile}"


def scenario_factors(
    scenarios: Sequence[Scenario],
    years,
    base_year: int,
    horizon: int,
    values: Mapping[str, float | np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """Each scenario's effect in each year, for given parameter values (default: the means).

    Values may be arrays (one per Monte Carlo run): the result then has shape
    (runs, years). admission_rates and length_of_stay give a multiplier (1 = no
    change): per "horizon", 1 + v x profile; per "year", (1 + v)^(n x profile)
    with n the years of change (so linear compounds exactly). ppa_avoidance gives
    the share of PPAs avoided, v x profile, with v clipped to 0-1. A multiplier
    is never below 0 (a change below -100% is clipped).
    """
    years = np.asarray(years)
    out = {}
    for sc in scenarios:
        start, end = sc.years(base_year, horizon)
        profile = time_profile(years, sc.profile, start, end)
        value = np.asarray(sc.mean if values is None else values[sc.name], dtype=float)
        v = value[..., None] if value.ndim else value
        if sc.name == "ppa_avoidance":
            out[sc.name] = np.clip(v, 0.0, 1.0) * profile
        elif sc.per == "year":
            out[sc.name] = np.clip(1 + v, 0.0, None) ** ((end - start + 1) * profile)
        else:
            out[sc.name] = np.clip(1 + v * profile, 0.0, None)
    return out


def combine(demography: pd.DataFrame, factors: Mapping[str, np.ndarray]):
    """admissions and bed days from demography and the scenario factors (broadcasting)."""
    d = {m: demography[m].to_numpy(dtype=float) for m in ACTIVITY}
    rates = factors.get("admission_rates", 1.0)
    stay = factors.get("length_of_stay", 1.0)
    avoided = factors.get("ppa_avoidance", 0.0)
    admissions = rates * (d["admissions"] - avoided * d["ppa_admissions"])
    bed_days = rates * stay * (d["bed_days"] - avoided * d["ppa_bed_days"])
    return admissions, bed_days


def apply_scenarios(
    demography: pd.DataFrame,
    scenarios: Sequence[Scenario],
    base_year: int,
    horizon: int,
    values: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Projected admissions and bed days with the scenarios on top of demography.

    admissions = A x (D_adm - s x P_adm); bed_days = A x L x (D_bd - s x P_bd),
    where D are the demographic projections, P their PPA part, A the admission
    rate multiplier, L the length of stay multiplier and s the share of PPAs
    avoided in that year (scenario_factors; parameters at their means unless
    `values` are given). Returns year, demography_admissions,
    demography_bed_days, admissions, bed_days.
    """
    factors = scenario_factors(scenarios, demography["year"], base_year, horizon, values)
    admissions, bed_days = combine(demography, factors)
    return pd.DataFrame(
        {
            "year": demography["year"].to_numpy(),
            "demography_admissions": demography["admissions"].to_numpy(dtype=float),
            "demography_bed_days": demography["bed_days"].to_numpy(dtype=float),
            "admissions": admissions,
            "bed_days": bed_days,
        }
    )


def waterfall_table(
    demography: pd.DataFrame,
    scenarios: Sequence[Scenario],
    base_year: int,
    horizon: int,
    measure: str = "bed_days",
    values: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Step changes from the base year to the horizon: columns step, change, total.

    Rows: the base year; demography (D - B); each scenario on its own on top of
    demography (admission rates (A - 1) x D; length of stay (L - 1) x D, for bed
    days only; PPAs avoided -s x P); the interaction of the scenarios (what is left:
    the factors multiply, so together they differ from the sum of their separate
    effects); the horizon. The changes add up exactly to horizon - base.
    """
    if measure not in ("admissions", "bed_days"):
        raise ValueError(f"measure must be 'admissions' or 'bed_days', not {measure!r}")
    rows = demography.set_index("year")
    if base_year not in rows.index or horizon not in rows.index:
        raise ProjectionError(f"The projection has no year {base_year} or {horizon}")
    picked = rows.loc[[horizon]].reset_index()
    base = float(rows.loc[base_year, measure])
    d = float(picked[measure].iloc[0])
    p = float(picked[f"ppa_{measure}"].iloc[0])
    factors = scenario_factors(scenarios, [horizon], base_year, horizon, values)
    total = float(combine(picked, factors)[0 if measure == "admissions" else 1][0])
    steps = [("Base year", base), ("Demography", d - base)]
    for sc in scenarios:
        f = float(np.ravel(factors[sc.name])[0])
        if sc.name == "ppa_avoidance":
            steps.append((sc.label, -f * p))
        elif sc.name == "length_of_stay" and measure == "admissions":
            continue  # shorter or longer stays do not change the number of admissions
        else:
            steps.append((sc.label, (f - 1) * d))
    separate = sum(change for _, change in steps)
    steps.append(("Interaction", total - separate))
    out = pd.DataFrame(steps, columns=["step", "change"])
    out["total"] = out["change"].cumsum()
    out["kind"] = ["base"] + ["change"] * (len(out) - 1)
    end = pd.DataFrame(
        [
            {
                "step": f"{financial_year_label(horizon)}",
                "change": total,
                "total": total,
                "kind": "total",
            }
        ]
    )
    out.loc[0, "step"] = f"Base year {financial_year_label(base_year)}"
    return pd.concat([out, end], ignore_index=True)
