"""NRS mid-year population estimates by HSCP, sex and single year of age."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from hscp.extracts import Problem
from hscp.opendata._common import OpenDataError

# =============================================================================================
# Population estimates: NRS mid-year estimates by HSCP, sex and single year of age
# =============================================================================================
#
# Source: National Records of Scotland mid-year population estimates, as published on
# the Scottish Health and Social Care Open Data platform ("Population estimates by HSCP":
# Year, HSCP (S37..., S92000003 for Scotland), HSCPQF, Sex (All, Female, Male), SexQF,
# AllAges, Age0 ... Age89, Age90plus). The projections file has the same layout
# (hscp.projection reads it); this reader is for the estimates, which give the
# denominators of Scotland, a board or another partnership when the extract has only
# its own partnership's population.

POPULATION_COLUMNS = ("year", "area_code", "age", "population")
_POP_WHAT = "population estimates file (NRS mid-year estimates by HSCP)"
_AGES = [f"Age{a}" for a in range(90)] + ["Age90plus"]


def read_population_estimates(path: str | Path) -> pd.DataFrame:
    """NRS mid-year population estimates by HSCP in the open data layout, as a tidy
    frame: year, area_code (S37 partnership code, or S92000003 Scotland), age (0 to 90,
    90 meaning 90 and over), population, both sexes together (the Sex "All" rows). A
    file not in that layout is an OpenDataError naming the file and the columns."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file (the {_POP_WHAT})")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    raw.columns = [c.strip() for c in raw.columns]
    missing = [c for c in ["Year", "HSCP", "Sex", *_AGES] if c not in raw.columns]
    if missing:
        shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise OpenDataError(path, _POP_WHAT, [Problem(shown, "missing columns", len(raw))])
    both = raw[raw["Sex"].str.strip() == "All"]
    if both.empty:
        raise OpenDataError(path, _POP_WHAT, [Problem("Sex", "no 'All' rows", len(raw))])
    long = both.melt(id_vars=["Year", "HSCP"], value_vars=_AGES, var_name="age_column")
    numbers = pd.to_numeric(long["value"].str.strip(), errors="coerce")
    years = pd.to_numeric(long["Year"].str.strip(), errors="coerce")
    bad = numbers.isna() | (numbers < 0) | years.isna()
    if bad.any():
        raise OpenDataError(
            path,
            _POP_WHAT,
            [Problem("Year, Age0 ... Age90plus", "not a whole number", int(bad.sum()))],
        )
    return pd.DataFrame(
        {
            "year": years.astype(np.int64),
            "area_code": long["HSCP"].str.strip(),
            "age": long["age_column"].str.removeprefix("Age").str.removesuffix("plus").astype(int),
            "population": numbers.astype(np.int64),
        }
    )


def population_of(estimates: pd.DataFrame, codes, year: int, min_age: int = 0) -> int:
    """People aged `min_age` and over in `year` in the areas `codes` (S37 codes, or
    S92000003), from read_population_estimates."""
    rows = estimates[
        estimates["area_code"].isin(list(codes))
        & (estimates["year"] == year)
        & (estimates["age"] >= min_age)
    ]
    return int(rows["population"].sum())
