"""Base-year emergency activity by age band and sex, its rates, and projected activity."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hscp.conventions import age_bands, financial_years
from hscp.conventions.financial_years import FinancialYear
from hscp.measures.ppa import flag_ppa
from hscp.measures.stays import continuous_stays
from hscp.projection._checks import ProjectionError, require
from hscp.projection.nrs import OLDEST_AGE

#: The activity measures projected (base-year counts, then rate x population).
ACTIVITY = ("admissions", "bed_days", "ppa_admissions", "ppa_bed_days")


def check_bands(bands: Sequence[int]) -> list[int]:
    """Age bands by lower bound, from 0, increasing, the last at most 90 (90 is 90+)."""
    return age_bands.check_bands(bands, oldest=OLDEST_AGE)


def age_band_labels(bands: Sequence[int]) -> list[str]:
    """Labels for age bands given by their lower bounds: [0, 65, 75] -> 0-64, 65-74, 75+."""
    return age_bands.band_labels(check_bands(bands))


def age_band(ages, bands: Sequence[int]) -> pd.Categorical:
    """The age band of each age (bands by lower bound; the last is open)."""
    return age_bands.band_of(ages, check_bands(bands))


def emergency_stays(episodes: pd.DataFrame) -> pd.DataFrame:
    """Emergency continuous inpatient stays with their PPA flag (continuous_stays, flag_ppa)."""
    stays = flag_ppa(continuous_stays(episodes))
    return stays[stays["emergency"].to_numpy(dtype=bool)].reset_index(drop=True)


def base_activity(
    stays: pd.DataFrame, year: FinancialYear, bands: Sequence[int], *, open_until
) -> pd.DataFrame:
    """Emergency admissions and their bed days in a financial year, by age band and sex.

    Counts emergency stays (`emergency` true, if the column is there) admitted in
    the year; a stay's bed days are its length of stay (discharge - admission
    date), and a stay still open counts to `open_until` (the end of the data).
    `ppa_admissions` and `ppa_bed_days` are those of potentially preventable
    admissions (`ppa` true; flag_ppa). Every band and both sexes are listed, with
    zeros. Columns: age_band, sex, admissions, bed_days, ppa_admissions, ppa_bed_days.
    """
    require(stays, ["admission_date", "discharge_date", "age", "sex", "ppa"], "emergency stays")
    admitted = pd.to_datetime(stays["admission_date"])
    keep = admitted.between(year.start, year.end).to_numpy(dtype=bool).copy()
    if "emergency" in stays.columns:
        keep &= stays["emergency"].to_numpy(dtype=bool)
    chosen = stays[keep]
    discharged = pd.to_datetime(chosen["discharge_date"]).fillna(pd.Timestamp(open_until))
    bed_days = (discharged - pd.to_datetime(chosen["admission_date"])).dt.days.to_numpy()
    if (bed_days < 0).any():
        raise ProjectionError(
            f"{int((bed_days < 0).sum())} stays admitted after the end of the data "
            f"({pd.Timestamp(open_until):%d %b %Y})"
        )
    ppa = chosen["ppa"].to_numpy(dtype=bool)
    frame = pd.DataFrame(
        {
            "age_band": age_band(chosen["age"].to_numpy(dtype=float), bands),
            "sex": chosen["sex"].astype(np.int64).to_numpy(),
            "admissions": 1,
            "bed_days": bed_days,
            "ppa_admissions": ppa.astype(np.int64),
            "ppa_bed_days": np.where(ppa, bed_days, 0),
        }
    )
    grid = pd.MultiIndex.from_product([age_band_labels(bands), [1, 2]], names=["age_band", "sex"])
    totals = (
        frame.groupby(["age_band", "sex"], observed=True)[list(ACTIVITY)]
        .sum()
        .reindex(grid, fill_value=0)
        .astype(np.int64)
        .reset_index()
    )
    totals["age_band"] = pd.Categorical(
        totals["age_band"], categories=age_band_labels(bands), ordered=True
    )
    return totals


def banded(population: pd.DataFrame, bands: Sequence[int], keys: Sequence[str]) -> pd.DataFrame:
    frame = population.assign(age_band=age_band(population["age"], bands))
    return frame.groupby([*keys, "age_band", "sex"], observed=False, as_index=False)[
        "population"
    ].sum()


def base_rates(
    activity: pd.DataFrame, population: pd.DataFrame, bands: Sequence[int]
) -> pd.DataFrame:
    """Base-year rates per 1,000 population by age band and sex.

    `activity` is base_activity's table; `population` the area's base-year
    population by sex and single year of age. Adds population and, for each
    activity measure, `<measure>_rate` = count / population x 1,000. A band with
    activity but no population is an error (its rate would be infinite).
    """
    pop = banded(population, bands, [])
    out = activity.merge(pop, on=["age_band", "sex"], how="left")
    out["population"] = out["population"].fillna(0.0)
    empty = (out["population"] <= 0) & (out[list(ACTIVITY)].sum(axis=1) > 0)
    if empty.any():
        cells = out.loc[empty, ["age_band", "sex"]].astype(str).agg(" sex ".join, axis=1)
        raise ProjectionError(
            f"Emergency activity but no population in {', '.join(cells)}: check the "
            "population table covers the area and base year"
        )
    for measure in ACTIVITY:
        rate = out[measure] / out["population"].where(out["population"] > 0) * 1000
        out[f"{measure}_rate"] = rate.fillna(0.0)
    return out


def project_activity(
    rates: pd.DataFrame,
    projected_population: pd.DataFrame,
    bands: Sequence[int],
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """Projected activity by year = sum over age band and sex of rate x projected population.

    `rates` is base_rates' table, `projected_population` has year, sex, age,
    population (project_population). Returns year, *by, population and the
    ACTIVITY measures (e.g. by=["age_band"] for a breakdown).
    """
    pop = banded(projected_population, bands, ["year"])
    merged = pop.merge(
        rates[["age_band", "sex", *(f"{m}_rate" for m in ACTIVITY)]],
        on=["age_band", "sex"],
        how="left",
    )
    for measure in ACTIVITY:
        merged[measure] = merged[f"{measure}_rate"].fillna(0.0) * merged["population"] / 1000
    keys = ["year", *by]
    return merged.groupby(keys, observed=True, as_index=False)[["population", *ACTIVITY]].sum()


def latest_complete_financial_year(start, end) -> FinancialYear:
    """The base year: the latest financial year wholly inside the data, from `start` to
    `end` inclusive. Error if the data do not cover a whole financial year."""
    found = financial_years.latest_complete(start, end)
    if found is None:
        raise ProjectionError(
            f"The data ({pd.Timestamp(start):%d %b %Y} to {pd.Timestamp(end):%d %b %Y}) hold no "
            "complete financial year (April to March): the base year of a projection needs one"
        )
    return found
