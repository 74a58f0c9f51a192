"""Crude rates, population denominators and PHS rounding.

The delayed discharge national indicator NI19 (Core Suite of Integration
Indicators) is the number of days people aged 75+ spend in hospital when they
are ready to be discharged, per 1,000 population aged 75+:
crude_rate(bed days of people aged 75+, population_total(pop, year, min_age=75)).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from hscp.measures._months import as_columns, check_columns

#: In the population tables, age 90 means 90 and over.
OLDEST_AGE = 90


def crude_rate(count, population, per: float = 1000):
    """Crude rate: count / population x per (per 1,000 by default).

    Works on numbers, arrays and Series (element by element). A population of
    zero or missing gives a missing rate, not infinity.
    """
    if not per > 0:
        raise ValueError(f"per must be positive, not {per!r}")
    count_values = pd.to_numeric(count) if isinstance(count, pd.Series) else count
    pop = pd.to_numeric(population) if isinstance(population, pd.Series) else population
    pop = np.where(np.asarray(pop, dtype=float) > 0, np.asarray(pop, dtype=float), np.nan)
    rate = np.asarray(count_values, dtype=float) / pop * per
    if isinstance(count, pd.Series):
        return pd.Series(rate, index=count.index, name=count.name)
    if isinstance(population, pd.Series):
        return pd.Series(rate, index=population.index)
    return float(rate) if np.ndim(rate) == 0 else rate


def population_total(
    population: pd.DataFrame,
    year: int | Iterable[int],
    *,
    min_age: int = 0,
    max_age: int | None = None,
    by: str | Sequence[str] = (),
) -> pd.DataFrame:
    """Population aged min_age to max_age (inclusive): columns year, *by, population.

    From the contract's `population` table (year, hscp2019, locality, sex, age,
    population), where age 90 means 90 and over: min_age=75 (max_age None) is
    75+, including the 90+ row. An age range that would split the 90+ row
    (min_age above 90, or max_age 90 or more) is refused. `by` names columns to
    keep (e.g. "locality", "sex"); the rest are summed over.
    """
    by = as_columns(by)
    check_columns(population, ["year", "age", "population", *by], "population_total")
    if min_age < 0 or min_age > OLDEST_AGE:
        raise ValueError(
            f"min_age must be 0 to {OLDEST_AGE} (age {OLDEST_AGE} means {OLDEST_AGE}+), "
            f"not {min_age}"
        )
    if max_age is not None and not min_age <= max_age < OLDEST_AGE:
        raise ValueError(
            f"max_age must be from min_age ({min_age}) to {OLDEST_AGE - 1}, or None for "
            f"no upper limit (age {OLDEST_AGE} means {OLDEST_AGE}+), not {max_age}"
        )
    years = [year] if isinstance(year, int | np.integer) else list(year)
    available = set(population["year"].dropna().astype(int))
    missing = [y for y in years if y not in available]
    if missing:
        raise ValueError(
            f"no population for {', '.join(map(str, missing))}; the table has "
            f"{min(available)}-{max(available)}"
            if available
            else "the population table is empty"
        )
    age = population["age"]
    keep = population["year"].isin(years) & (age >= min_age)
    if max_age is not None:
        keep &= age <= max_age
    totals = (
        population[keep.fillna(False).astype(bool)]
        .groupby(["year", *by], dropna=False, observed=True)["population"]
        .sum()
        .reset_index()
    )
    totals["population"] = totals["population"].astype(np.int64)
    return totals


def month_population_year(month, available) -> int:
    """The mid-year estimate a month's rate uses: that of the first calendar year of the
    month's financial year (January 2024 is in 2023/24: 2023), as PHS takes pop_year
    from the financial year (national-indicators R/ni12_functions.R,
    R/ni19_functions.R); if that estimate is not out yet the latest earlier year (PHS
    repeats the latest estimate, R/create_population_lookup.R), failing that the
    earliest year of `available`."""
    from hscp.conventions import financial_year

    years = sorted(int(y) for y in available)
    if not years:
        raise ValueError("the population table is empty")
    wanted = financial_year(pd.Timestamp(month)).population_year
    usable = [y for y in years if y <= wanted]
    return usable[-1] if usable else years[0]


def round_half_up(values, digits: int = 0):
    """Round halves away from zero, as PHS publishes (R janitor::round_half_up).

    Python's round() and numpy round halves to even (2.5 -> 2); PHS rounds 2.5 to
    3. A tiny tolerance (as janitor) keeps 0.285 x 100 = 28.499999... rounding up.
    """
    scale = 10.0**digits
    array = np.asarray(values, dtype=float)
    rounded = np.sign(array) * np.trunc(np.abs(array) * scale + 0.5 + np.sqrt(np.finfo(float).eps))
    rounded = rounded / scale
    if isinstance(values, pd.Series):
        return pd.Series(rounded, index=values.index, name=values.name)
    return float(rounded) if np.ndim(rounded) == 0 else rounded
