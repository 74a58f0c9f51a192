"""Reading NRS population projections (open data layout or tidy) and choosing a variant."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from hscp import extracts
from hscp.conventions.age_bands import NRS_OLDEST_AGE
from hscp.conventions.sex import SEX_CODES
from hscp.projection._checks import ProjectionError

#: Single-year ages in the projections; 90 means 90 and over (NRS "Age90plus").
OLDEST_AGE = NRS_OLDEST_AGE
PUBLISHED_AGE_COLUMNS = [f"Age{a}" for a in range(OLDEST_AGE)] + ["Age90plus"]
PRINCIPAL = "principal"
TIDY_COLUMNS = ["variant", "year", "hscp2019", "sex", "age", "population"]


def read_projections(path: Path | str) -> pd.DataFrame:
    """Read a population projections file (CSV or parquet) into the tidy form.

    Accepts the NRS/PHS open data layout (Year, HSCP, Sex, AllAges, Age0 ...
    Age89, Age90plus, optional Variant) and the tidy form (see tidy_projections).
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: population projections file not found")
    if path.suffix == ".parquet":
        raw = pd.read_parquet(path)
    else:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    return tidy_projections(raw, source=str(path))


def tidy_projections(frame: pd.DataFrame, source: str = "population projections") -> pd.DataFrame:
    """Projections in the tidy form: variant, year, hscp2019, sex (1 male, 2 female), age
    (0-90, 90 = 90+), population.

    `frame` is either in the NRS/PHS open data layout (Year, HSCP, Sex, AllAges,
    Age0 ... Age89, Age90plus; rows for Sex "All" are dropped after checking that
    they are the sum of Male and Female) or already tidy (year, hscp2019, sex,
    age, population, optional variant). Without a Variant/variant column every row
    is the principal projection. Errors name the source, the column and the rows.
    """
    if {"Year", "HSCP", "Sex"} <= set(frame.columns) or "Age90plus" in frame.columns:
        tidy = _tidy_from_published(frame, source)
    elif {"year", "hscp2019", "sex", "age", "population"} <= set(frame.columns):
        tidy = _tidy_from_tidy(frame, source)
    else:
        raise ProjectionError(
            f"{source}: not a population projections table: expected the NRS layout (Year, "
            "HSCP, Sex, AllAges, Age0 ... Age89, Age90plus) or tidy columns (year, hscp2019, "
            f"sex, age, population); found {', '.join(map(str, frame.columns[:12]))}"
        )
    _check_tidy(tidy, source)
    return tidy.sort_values(TIDY_COLUMNS[:5], ignore_index=True)


def _tidy_from_published(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    if "Variant" not in frame.columns:
        frame = frame.assign(Variant=PRINCIPAL)
    frame = frame.assign(Variant=frame["Variant"].fillna(PRINCIPAL).astype(str).str.strip())
    try:
        typed = extracts.validate(frame, extracts.POPULATION_PROJECTIONS, source)
    except extracts.ExtractError as err:
        raise ProjectionError(str(err)) from err
    typed["Variant"] = frame["Variant"].to_numpy()
    if "AllAges" in typed.columns:
        sums = typed[PUBLISHED_AGE_COLUMNS].sum(axis=1)
        bad = typed["AllAges"].to_numpy() != sums.to_numpy()
        if bad.any():
            rows = typed.loc[bad, ["Year", "HSCP", "Sex"]].head(3).to_dict("records")
            raise ProjectionError(
                f"{source}: column 'AllAges' is not the sum of Age0 ... Age90plus in "
                f"{int(bad.sum())} rows (e.g. {rows})"
            )
    keys = ["Variant", "Year", "HSCP"]
    wide = typed.set_index([*keys, "Sex"])[PUBLISHED_AGE_COLUMNS]
    if "All" in typed["Sex"].to_numpy():
        sexes = wide.index.get_level_values("Sex")
        total = wide[sexes == "All"].droplevel("Sex")
        parts = wide[sexes != "All"].groupby(level=keys).sum()
        common = total.index.intersection(parts.index)
        differ = (total.loc[common] != parts.loc[common]).any(axis=1)
        if differ.any():
            raise ProjectionError(
                f"{source}: rows with Sex 'All' are not Male + Female for "
                f"{int(differ.sum())} year/HSCP rows (e.g. {list(differ[differ].index[:3])})"
            )
    persons = typed[typed["Sex"] != "All"]
    long = persons.melt(
        id_vars=["Variant", "Year", "HSCP", "Sex"],
        value_vars=PUBLISHED_AGE_COLUMNS,
        var_name="age_column",
        value_name="population",
    )
    ages = {c: i for i, c in enumerate(PUBLISHED_AGE_COLUMNS)}
    return pd.DataFrame(
        {
            "variant": long["Variant"].astype(str).to_numpy(),
            "year": long["Year"].astype(np.int64).to_numpy(),
            "hscp2019": long["HSCP"].astype(str).to_numpy(),
            "sex": long["Sex"].map(SEX_CODES).astype(np.int64).to_numpy(),
            "age": long["age_column"].map(ages).astype(np.int64).to_numpy(),
            "population": long["population"].astype(np.float64).to_numpy(),
        }
    )


def _tidy_from_tidy(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    out["variant"] = (
        frame["variant"].fillna(PRINCIPAL).astype(str).str.strip()
        if "variant" in frame.columns
        else PRINCIPAL
    )
    sex = (
        frame["sex"]
        .astype(str)
        .str.strip()
        .replace({name: str(code) for name, code in SEX_CODES.items()})
    )
    numeric = {
        "year": frame["year"],
        "sex": sex,
        "age": frame["age"],
        "population": frame["population"],
    }
    for name, values in numeric.items():
        converted = pd.to_numeric(values, errors="coerce")
        bad = converted.isna()
        if bad.any():
            examples = list(values[bad].astype(str).head(3))
            raise ProjectionError(
                f"{source}: column {name!r}: not a number in {int(bad.sum())} rows (e.g. {examples})"
            )
        out[name] = converted.astype(np.float64 if name == "population" else np.int64)
    out["hscp2019"] = frame["hscp2019"].astype(str).str.strip()
    rules = {
        "sex": (~out["sex"].isin([1, 2]), "must be 1 (male) or 2 (female)"),
        "age": (~out["age"].between(0, OLDEST_AGE), f"must be 0 to {OLDEST_AGE} (90 = 90+)"),
        "population": (out["population"] < 0, "must not be negative"),
        "hscp2019": (
            ~out["hscp2019"].str.fullmatch(r"S(37|92)\d{6}"),
            "must be an S37 (or S92) code",
        ),
    }
    for name, (bad, rule) in rules.items():
        if bad.any():
            examples = list(frame.loc[bad, name].astype(str).head(3))
            raise ProjectionError(
                f"{source}: column {name!r} {rule}: {int(bad.sum())} rows (e.g. {examples})"
            )
    return out[TIDY_COLUMNS]


def _check_tidy(tidy: pd.DataFrame, source: str) -> None:
    keys = ["variant", "year", "hscp2019", "sex", "age"]
    dupes = tidy.duplicated(keys)
    if dupes.any():
        raise ProjectionError(
            f"{source}: {int(dupes.sum())} duplicated rows for the key {', '.join(keys)} "
            f"(e.g. {tidy.loc[dupes, keys].head(2).to_dict('records')})"
        )
    cells = tidy.groupby(["variant", "year", "hscp2019"]).size()
    short = cells[cells != 2 * (OLDEST_AGE + 1)]
    if len(short):
        raise ProjectionError(
            f"{source}: {len(short)} year/HSCP combinations lack some sex or single year of "
            f"age 0-90 (e.g. {list(short.index[:3])}): each needs both sexes and all 91 ages"
        )


def projection_variants(projections: pd.DataFrame) -> list[str]:
    """The projection variants in a tidy projections table (principal first)."""
    names = sorted(projections["variant"].unique(), key=lambda v: (v.casefold() != PRINCIPAL, v))
    return [str(v) for v in names]


def choose_variant(
    projections: pd.DataFrame, variant: str | None = None
) -> tuple[pd.DataFrame, str]:
    """The rows of one projection variant, and its name.

    None chooses the principal projection (or the only variant in the table).
    Matching ignores case; an unknown variant is an error listing those present.
    """
    available = projection_variants(projections)
    if variant is None:
        wanted = [v for v in available if v.casefold() == PRINCIPAL] or (
            available if len(available) == 1 else []
        )
        if not wanted:
            raise ProjectionError(
                "The projections hold several variants and none is called 'principal': "
                f"choose one of {', '.join(available)}"
            )
    else:
        wanted = [v for v in available if v.casefold() == str(variant).strip().casefold()]
        if not wanted:
            raise ProjectionError(
                f"No projection variant {variant!r}; the projections hold: {', '.join(available)}"
            )
    name = wanted[0]
    return projections[projections["variant"] == name].reset_index(drop=True), name
