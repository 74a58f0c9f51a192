"""Comparator areas: a partnership's localities, the partnership, its health board and Scotland.

Aggregate tables with `hscp2019` and `locality` columns (the store's
comparators, the population table) are summed into the areas a report compares:
each locality of the partnership, the partnership, its NHS board (all the
partnerships of that board, hscp.geography) and Scotland (every row). Rates per
area, crude and European age-standardised, then come from the same sums, so the
area reported on and its comparators are computed the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hscp import geography
from hscp.geography import Partnership
from hscp.measures._months import MonthLike, as_columns, check_columns, month_start
from hscp.measures.rates import OLDEST_AGE
from hscp.measures.standardise import ESP2013_BANDS, crude_rate_ci, easr, esp2013_band
from hscp.measures.unscheduled import population_year

LOCALITY, PARTNERSHIP, HEALTH_BOARD, SCOTLAND = (
    "Locality",
    "Partnership",
    "Health board",
    "Scotland",
)
AREA_TYPES = (LOCALITY, PARTNERSHIP, HEALTH_BOARD, SCOTLAND)


def board_partnerships(partnership: Partnership) -> tuple[Partnership, ...]:
    """The partnerships of the partnership's NHS board (itself included)."""
    return tuple(
        p for p in geography.partnerships() if p.health_board_code == partnership.health_board_code
    )


def sum_by_area(
    table: pd.DataFrame,
    partnership: Partnership,
    values: str | Sequence[str],
    *,
    by: str | Sequence[str] = (),
    board: bool = True,
) -> pd.DataFrame:
    """`values` summed into areas: columns area, area_type, *by, *values.

    Areas: each locality of `partnership` (LOCALITY, named as in params, listed
    even with no rows), the partnership (PARTNERSHIP, its name), its NHS board
    (HEALTH_BOARD, the board's name: all its partnerships' rows; left out with
    board=False) and Scotland (SCOTLAND: every row of the table). `table` needs
    hscp2019 and locality columns.
    """
    values, by = as_columns(values), as_columns(by)
    check_columns(table, ["hscp2019", "locality", *values, *by], "sum_by_area")
    codes = table["hscp2019"].astype(str)
    own = table[codes == partnership.code]
    parts = []
    localities = own.groupby(["locality", *by], observed=True, dropna=False)[values].sum()
    localities = localities.reset_index().rename(columns={"locality": "area"})
    grid = pd.DataFrame({"area": list(partnership.localities)})
    if by:
        grid = grid.merge(table[by].drop_duplicates(), how="cross")
    localities = grid.merge(localities, on=["area", *by], how="left")
    parts.append(localities.assign(area_type=LOCALITY))
    parts.append(_total(own, values, by).assign(area=partnership.name, area_type=PARTNERSHIP))
    if board:
        board_codes = {p.code for p in board_partnerships(partnership)}
        in_board = table[codes.isin(board_codes)]
        parts.append(
            _total(in_board, values, by).assign(
                area=partnership.health_board_name, area_type=HEALTH_BOARD
            )
        )
    parts.append(_total(table, values, by).assign(area=geography.SCOTLAND_NAME, area_type=SCOTLAND))
    out = pd.concat(parts, ignore_index=True)
    for name in values:
        if pd.api.types.is_numeric_dtype(table[name]):
            out[name] = out[name].fillna(0)
            if pd.api.types.is_integer_dtype(table[name]):
                out[name] = out[name].astype(np.int64)
    out["area_type"] = pd.Categorical(out["area_type"], categories=list(AREA_TYPES))
    return out[["area", "area_type", *by, *values]]


def _total(frame: pd.DataFrame, values: list[str], by: list[str]) -> pd.DataFrame:
    if by:
        return frame.groupby(by, observed=True, dropna=False)[values].sum().reset_index()
    return frame[values].sum().to_frame().T


def population_by_area(
    population: pd.DataFrame,
    partnership: Partnership,
    year: int,
    *,
    min_age: int = 0,
    max_age: int | None = None,
    bands: bool = False,
    board: bool = True,
) -> pd.DataFrame:
    """People aged min_age to max_age in `year` by area (sum_by_area): columns area,
    area_type, [age_band, sex,] population. With bands=True, by ESP2013 band and sex
    (for age-sex standardisation). Age 90 is 90+ (max_age 90 or more means no limit)."""
    check_columns(population, ["year", "age", "sex", "population"], "population_by_area")
    if year not in set(population["year"].astype(int)):
        raise ValueError(f"no population for {year}")
    age = population["age"]
    keep = (population["year"] == year) & (age >= min_age)
    if max_age is not None and max_age < OLDEST_AGE:
        keep &= age <= max_age
    people = population[keep.fillna(False).to_numpy(bool)].copy()
    by = []
    if bands:
        people["age_band"] = esp2013_band(people["age"]).astype(str).to_numpy()
        by = ["age_band", "sex"]
    people = people.groupby(["hscp2019", "locality", *by], observed=True)["population"].sum()
    return sum_by_area(people.reset_index(), partnership, "population", by=by, board=board)


def _window(monthly: pd.DataFrame, end: MonthLike, months: int = 12) -> pd.DataFrame:
    window = pd.date_range(end=month_start(end), periods=months, freq="MS")
    have = set(pd.to_datetime(monthly["month"]).unique())
    missing = [m for m in window if m not in have]
    if missing:
        raise ValueError(
            f"the table does not cover the {months} months {window[0]:%b %Y} to "
            f"{window[-1]:%b %Y} (no {missing[0]:%b %Y})"
        )
    return monthly[pd.to_datetime(monthly["month"]).isin(window)]


def area_rates(
    monthly: pd.DataFrame,
    value: str,
    population: pd.DataFrame,
    end: MonthLike,
    partnership: Partnership,
    *,
    min_age: int = 0,
    max_age: int | None = None,
    per: float = 1000,
    standardise: bool = True,
    board: bool = True,
) -> pd.DataFrame:
    """Rates over the 12 months ending `end`, for each area (sum_by_area).

    `monthly` is an aggregate table (a store comparator) with month, hscp2019,
    locality, the count `value` and, to standardise, age_band (ESP2013) and sex.
    Counts are summed over the window by area; the population is that of
    population_year(end) aged min_age to max_age. Columns: area, area_type,
    value (its name), population, population_year, rate, lower, upper (crude, per
    `per`, Byar's 95% interval) and, with standardise=True, easr, easr_lower,
    easr_upper (European age-sex standardised rate, ESP2013, Dobson 95%
    interval, per `per`). Only whole ESP2013 bands can be standardised: min_age a
    multiple of 5 and max_age one less than a multiple of 5 (or None); the
    `monthly` rows must already be limited to those ages.
    """
    needed = ["month", "hscp2019", "locality", value]
    if standardise:
        needed += ["age_band", "sex"]
    check_columns(monthly, needed, "area_rates")
    window = _window(monthly, end)
    year = population_year(end, population["year"].dropna().unique())
    counts = sum_by_area(window, partnership, value, board=board)
    people = population_by_area(
        population, partnership, year, min_age=min_age, max_age=max_age, board=board
    )
    out = counts.merge(people, on=["area", "area_type"], how="left")
    out["population_year"] = year
    crude = crude_rate_ci(out[value], out["population"], per=per)
    out = pd.concat([out, crude], axis=1)
    if not standardise:
        return out
    if min_age % 5 or (max_age is not None and max_age < OLDEST_AGE and (max_age + 1) % 5):
        raise ValueError(
            f"area_rates: ages {min_age} to {max_age} split an ESP2013 band; standardise only "
            "whole bands (e.g. 65 and over) or pass standardise=False"
        )
    banded_counts = sum_by_area(window, partnership, value, by=["age_band", "sex"], board=board)
    banded_counts["age_band"] = banded_counts["age_band"].astype(str)
    banded_people = population_by_area(
        population, partnership, year, min_age=min_age, max_age=max_age, bands=True, board=board
    )
    strata = banded_people.merge(
        banded_counts, on=["area", "area_type", "age_band", "sex"], how="left"
    )
    strata[value] = strata[value].fillna(0)
    outside = set(banded_counts.loc[banded_counts[value] > 0, "age_band"]) - set(strata["age_band"])
    if outside:
        raise ValueError(
            f"area_rates: {value} in age bands {sorted(outside)} outside ages {min_age} to "
            f"{max_age}; limit the table to those ages first"
        )
    strata = strata[strata["age_band"].isin(ESP2013_BANDS)]
    standardised = easr(
        strata[["area", "area_type", "age_band", "sex", value, "population"]],
        value,
        "population",
        "age_band",
        sex="sex",
        by=["area", "area_type"],
        per=per,
    )
    standardised = standardised.rename(
        columns={"rate": "easr", "lower": "easr_lower", "upper": "easr_upper"}
    )
    keep = ["area", "area_type", "easr", "easr_lower", "easr_upper"]
    return out.merge(standardised[keep], on=["area", "area_type"], how="left")
