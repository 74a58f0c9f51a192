"""Population growth from the projections, and an area's population by year."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hscp.conventions.financial_years import FinancialYear
from hscp.projection._checks import ProjectionError, require
from hscp.projection.nrs import OLDEST_AGE


def one_area(projections: pd.DataFrame, code: str) -> pd.DataFrame:
    if projections["variant"].nunique() > 1:
        raise ProjectionError("Choose one projection variant first (choose_variant)")
    area = projections[projections["hscp2019"] == code]
    if area.empty:
        codes = sorted(projections["hscp2019"].unique())
        raise ProjectionError(
            f"No population projections for {code}; the projections cover {', '.join(codes)}"
        )
    return area


def projection_years(projections: pd.DataFrame) -> tuple[int, int]:
    """First and last year of a tidy projections table."""
    return int(projections["year"].min()), int(projections["year"].max())


def check_years(projections: pd.DataFrame, years: Sequence[int], what: str) -> None:
    first, last = projection_years(projections)
    present = set(int(y) for y in projections["year"].unique())
    missing = sorted({int(y) for y in years} - present)
    if missing:
        where = "outside" if any(not first <= y <= last for y in missing) else "missing from"
        raise ProjectionError(
            f"{what} {', '.join(map(str, missing))} {'is' if len(missing) == 1 else 'are'} "
            f"{where} the population projections ({first} to {last})"
        )


def population_growth(
    projections: pd.DataFrame, code: str, base_year: int, years: Sequence[int]
) -> pd.DataFrame:
    """Growth of each sex and single year of age from base_year: columns year, sex, age, growth.

    growth = projected population (year) / projected population (base_year), for
    one partnership (`code`) and one variant. A cell with no one in the base year
    takes the growth of its sex and five-year age group, so no growth is infinite.
    """
    area = one_area(projections, code)
    check_years(projections, [base_year, *years], "Year")
    wide = area.pivot_table(
        index=["sex", "age"], columns="year", values="population", aggfunc="sum"
    )
    base = wide[base_year]
    rows = []
    for year in years:
        ratio = wide[year] / base.where(base > 0)
        if ratio.isna().any():
            group = wide.index.get_level_values("age") // 5
            sex = wide.index.get_level_values("sex")
            sums = wide[[base_year, year]].groupby([sex, group]).transform("sum")
            ratio = ratio.fillna(sums[year] / sums[base_year].where(sums[base_year] > 0))
            if ratio.isna().any():
                raise ProjectionError(
                    f"{code}: no population in {base_year} for some five-year age groups, so "
                    "their growth is undefined"
                )
        rows.append(pd.DataFrame({"year": year, "growth": ratio}).reset_index())
    return pd.concat(rows, ignore_index=True)[["year", "sex", "age", "growth"]]


def demographic_factor(
    projections: pd.DataFrame,
    code: str,
    base_year: int,
    year: int,
    *,
    min_age: int = 0,
    max_age: int | None = None,
    sex: int | None = None,
) -> float:
    """Population aged min_age-max_age in `year` / the same in base_year (one partnership,
    one variant; sex 1 or 2 for one sex). Age 90 is 90+."""
    area = one_area(projections, code)
    check_years(projections, [base_year, year], "Year")
    keep = area["age"] >= min_age
    if max_age is not None:
        keep &= area["age"] <= max_age
    if sex is not None:
        keep &= area["sex"] == sex
    totals = area[keep].groupby("year")["population"].sum()
    return float(totals[year] / totals[base_year])


def project_population(base_population: pd.DataFrame, growth: pd.DataFrame) -> pd.DataFrame:
    """An area's population by year: base population (sex, age, population) x growth.

    `growth` is population_growth's table (year, sex, age, growth) relative to the
    base population's year. Returns year, sex, age, population.
    """
    require(base_population, ["sex", "age", "population"], "base population")
    base = base_population.groupby(["sex", "age"], as_index=False)["population"].sum()
    merged = growth.merge(base, on=["sex", "age"], how="left")
    merged["population"] = merged["population"].fillna(0.0) * merged["growth"]
    return merged[["year", "sex", "age", "population"]]


def area_population(
    population: pd.DataFrame, year: int, *, locality: str | None = None, code: str | None = None
) -> pd.DataFrame:
    """An area's population in one year by sex and single year of age (sex, age, population),
    from the contract's population table (estimates by locality). Error if the year is missing."""
    require(population, ["year", "sex", "age", "population"], "population")
    rows = population[population["year"] == year]
    if code is not None and "hscp2019" in rows.columns:
        rows = rows[rows["hscp2019"] == code]
    if locality is not None:
        rows = rows[rows["locality"] == locality]
    if rows.empty:
        years = sorted(population["year"].unique())
        where = f" for {locality}" if locality else ""
        raise ProjectionError(
            f"No population{where} in {year}; the population table has {years[0]} to {years[-1]}"
            if years
            else "The population table is empty"
        )
    out = rows.groupby(["sex", "age"], as_index=False)["population"].sum()
    out["population"] = out["population"].astype(np.float64)
    return out


def population_series(
    population: pd.DataFrame,
    projections: pd.DataFrame,
    *,
    code: str,
    years: Sequence[int],
    locality: str | None = None,
    min_age: int = 0,
    max_age: int | None = None,
) -> pd.Series:
    """An area's population aged min_age to max_age by year (year -> population).

    Years in the population estimates take the estimate; other years take the
    nearest estimate year's population by sex and single year of age grown with
    the partnership's projected growth (one variant). Age 90 is 90+.
    """
    if "hscp2019" in population.columns:
        population = population[population["hscp2019"] == code]
    if locality is not None:
        population = population[population["locality"] == locality]
    estimated = sorted(int(y) for y in population["year"].unique())
    if not estimated:
        raise ProjectionError(f"No population estimates for {locality or code}")
    top = OLDEST_AGE if max_age is None else max_age
    out = {}
    for year in years:
        nearest = min(estimated, key=lambda y: (abs(y - year), -y))
        base = area_population(population, nearest)
        if nearest != year:
            growth = population_growth(projections, code, nearest, [year])
            base = project_population(base, growth)
        keep = (base["age"] >= min_age) & (base["age"] <= top)
        out[int(year)] = float(base.loc[keep, "population"].sum())
    return pd.Series(out, name="population").rename_axis("year")


def population_year(
    population: pd.DataFrame, projections: pd.DataFrame, base: FinancialYear
) -> int:
    """The population year for a base financial year: its own mid-year if the estimates have
    it, else the latest earlier estimate year that the projections also cover."""
    estimates = set(int(y) for y in population["year"].unique())
    first, last = projection_years(projections)
    usable = [y for y in estimates if y <= base.year and first <= y <= last]
    if not usable:
        raise ProjectionError(
            f"No population estimate for {base.year} or earlier that the projections "
            f"({first} to {last}) also cover (estimates: {min(estimates)} to {max(estimates)})"
        )
    return max(usable)
