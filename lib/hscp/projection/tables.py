"""Tables and sentences for the report: summaries, drivers, rates, variants."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from hscp import text
from hscp.conventions.financial_years import financial_year_label
from hscp.conventions.sex import SEX_NAMES
from hscp.projection.activity import banded
from hscp.projection.area import AreaProjection
from hscp.projection.growth import check_years, one_area
from hscp.projection.nrs import OLDEST_AGE, choose_variant, projection_variants
from hscp.projection.params import ProjectionParams


def summary_table(areas: Sequence[AreaProjection]) -> pd.DataFrame:
    """One row per area: base year, demography and scenario figures at the horizon."""
    return pd.DataFrame([a.summary() for a in areas])


def drivers_table(areas: Sequence[AreaProjection], measure: str = "bed_days") -> pd.DataFrame:
    """Side by side for each area: the base year, the change from demography, from each
    scenario and from their interaction (the waterfall's steps), the horizon (central) and
    the 10th and 90th percentiles of the Monte Carlo runs there."""
    rows = []
    for area in areas:
        steps = area.waterfall_table(measure)
        changes = steps[steps["kind"] == "change"].set_index("step")["change"]
        runs = area.horizon_runs(measure)
        row = {"area": area.area, "base": float(steps["total"].iloc[0])}
        row |= {step: float(value) for step, value in changes.items()}
        row |= {
            "horizon": float(steps["total"].iloc[-1]),
            "p10": float(np.percentile(runs, 10)),
            "p90": float(np.percentile(runs, 90)),
        }
        rows.append(row)
    return pd.DataFrame(rows)


_PHASING = {
    "linear": "phased in evenly from {start}",
    "front-loaded": "most of it early, from {start}",
    "back-loaded": "most of it late, from {start}",
    "step": "all at once in {start}",
}


def scenario_sentences(params: ProjectionParams, base_year: int) -> list[str]:
    """Each scenario in a plain sentence, e.g. 'Shorter emergency stays: the average length
    of an emergency stay changes by -10.0% to +0.0% by 2035/36 (80% range), most of it
    early, from 2024/25.'"""
    lines = []
    for sc in params.scenarios:
        start, end = sc.years(base_year, params.horizon)
        first, last = financial_year_label(start), financial_year_label(end)
        phasing = _PHASING[sc.profile].format(start=first)
        if sc.name == "ppa_avoidance":
            what = (
                f"{text.percent(sc.low, 0)} to {text.percent(sc.high, 0)} of potentially preventable admissions (and "
                f"their bed days) are avoided by {last}"
            )
        else:
            subject = {
                "admission_rates": "emergency admission rates of each age band and sex change",
                "length_of_stay": "the average length of an emergency stay changes",
            }[sc.name]
            when = "a year, to" if sc.per == "year" else "by"
            what = f"{subject} by {text.signed_percent(sc.low)} to {text.signed_percent(sc.high)} {when} {last}"
        lines.append(f"{sc.label}: {what} (80% range), {phasing}.")
    return lines


def population_by_band(
    population: pd.DataFrame, bands: Sequence[int], base_year: int, horizon: int
) -> pd.DataFrame:
    """Projected population by age band in the base year and at the horizon, with the
    relative change, and an "All ages" row: age_band, base, horizon, change."""
    by_band = banded(population[population["year"].isin([base_year, horizon])], bands, ["year"])
    wide = by_band.pivot_table(
        index="age_band", columns="year", values="population", aggfunc="sum", observed=False
    )
    out = pd.DataFrame(
        {
            "age_band": [str(b) for b in wide.index] + ["All ages"],
            "base": [*wide[base_year].to_numpy(), wide[base_year].sum()],
            "horizon": [*wide[horizon].to_numpy(), wide[horizon].sum()],
        }
    )
    out["change"] = out["horizon"] / out["base"].where(out["base"] > 0) - 1
    return out


def yearly_table(area: AreaProjection) -> pd.DataFrame:
    """An area's projection by year: admissions and bed days (population only and with the
    scenarios), average and peak occupied beds, beds required and new beds."""
    proj = area.projection
    beds = area.beds
    return pd.DataFrame(
        {
            "financial_year": beds["financial_year"],
            "demography_admissions": proj["demography_admissions"].to_numpy(),
            "admissions": proj["admissions"].to_numpy(),
            "demography_bed_days": proj["demography_bed_days"].to_numpy(),
            "bed_days": proj["bed_days"].to_numpy(),
            "average_occupied_beds": beds["average_occupied_beds"].to_numpy(),
            "peak_occupied_beds": beds["peak_occupied_beds"].to_numpy(),
            "beds_required": beds["beds_required"].to_numpy(),
            "new_beds": beds["new_beds"].to_numpy(),
        }
    )


def rates_table(area: AreaProjection) -> pd.DataFrame:
    """Base-year counts and rates per 1,000 by age band and sex, with the share of
    admissions that were potentially preventable."""
    act = area.activity
    out = pd.DataFrame(
        {
            "age_band": act["age_band"].astype(str).to_numpy(),
            "sex": act["sex"].map(SEX_NAMES).to_numpy(),
            "population": act["population"].to_numpy(),
            "admissions": act["admissions"].to_numpy(),
            "admissions_rate": act["admissions_rate"].to_numpy(),
            "bed_days": act["bed_days"].to_numpy(),
            "bed_days_rate": act["bed_days_rate"].to_numpy(),
            "ppa_admissions": act["ppa_admissions"].to_numpy(),
        }
    )
    out["ppa_share"] = out["ppa_admissions"] / out["admissions"].where(out["admissions"] > 0)
    return out


def variant_factors(
    projections: pd.DataFrame,
    code: str,
    base_year: int,
    horizon: int,
    age_groups: Mapping[str, tuple[int, int | None]] | None = None,
) -> pd.DataFrame:
    """The demographic factor (population at the horizon / base year) under each projection
    variant, for a few age groups: variant, age_group, base, horizon, factor."""
    groups = age_groups or {
        "All ages": (0, None),
        "65+": (65, None),
        "75+": (75, None),
        "85+": (85, None),
    }
    rows = []
    for variant in projection_variants(projections):
        chosen, _ = choose_variant(projections, variant)
        area = one_area(chosen, code)
        check_years(chosen, [base_year, horizon], "Year")
        for label, (lo, hi) in groups.items():
            keep = (area["age"] >= lo) & (area["age"] <= (OLDEST_AGE if hi is None else hi))
            totals = area[keep].groupby("year")["population"].sum()
            rows.append(
                {
                    "variant": variant,
                    "age_group": label,
                    "base": float(totals[base_year]),
                    "horizon": float(totals[horizon]),
                    "factor": float(totals[horizon] / totals[base_year]),
                }
            )
    return pd.DataFrame(rows)
