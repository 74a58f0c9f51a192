"""Demographic projections of emergency admissions, bed days and the beds required.

The method (docs/methods.md, "Projections"):

1. Base year: the latest complete financial year in the data. Emergency
   admissions (continuous inpatient stays admitted as emergencies in the year)
   and their bed days (length of stay) by age band and sex give base-year rates
   per 1,000 population.
2. Population: the area's mid-year population in the base year (from the data's
   population estimates), projected forward with the NRS projection's
   age-and-sex-specific growth for the partnership. A locality is projected with
   its partnership's growth.
3. Projected activity = sum over age band and sex of rate x projected
   population. Projected / base activity is the demographic growth factor.
4. Scenarios on top of demography, each phased in by a time profile: a trend in
   admission rates, a change in length of stay, avoidance of a share of
   potentially preventable admissions (PPAs). Monte Carlo over their 80%
   intervals gives the uncertainty; a waterfall splits the growth into
   demography, each scenario and their interaction.
5. Beds: average occupied beds = bed days / days in the year; sized to the
   winter peak month (seasonal index) at a target occupancy and by Erlang-B.

A projection year Y is the population mid-year Y (30 June) and the financial
year that contains it, April Y to March Y+1 (labelled "Y/Y+1").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from hscp import extracts, geography
from hscp.config import ParamsError
from hscp.measures.ppa import flag_ppa
from hscp.measures.stays import bed_days_by_month, continuous_stays

#: Single-year ages in the projections; 90 means 90 and over (NRS "Age90plus").
OLDEST_AGE = 90
PUBLISHED_AGE_COLUMNS = [f"Age{a}" for a in range(OLDEST_AGE)] + ["Age90plus"]
PUBLISHED_SEX = {"Male": 1, "Female": 2}
PRINCIPAL = "principal"
TIDY_COLUMNS = ["variant", "year", "hscp2019", "sex", "age", "population"]

#: The activity measures projected (base-year counts, then rate x population).
ACTIVITY = ("admissions", "bed_days", "ppa_admissions", "ppa_bed_days")

PROFILES = ("linear", "front-loaded", "back-loaded", "step")
#: Scenario name -> what it changes. The order is the waterfall's order.
SCENARIO_KINDS = {
    "admission_rates": "a trend in age-sex-specific emergency admission rates",
    "length_of_stay": "a change in the average length of an emergency stay",
    "ppa_avoidance": "a share of potentially preventable admissions avoided",
}
#: Two-sided 80% interval of a normal distribution: hi - lo = 2 x 1.2816 sd.
Z80_WIDTH = 2.563


def default_params_path() -> Path:
    """params/scenarios/projections.yaml (under $HSCP_PARAMS when set)."""
    return geography.params_dir() / "scenarios" / "projections.yaml"


class ProjectionError(ValueError):
    """Projection inputs that cannot be used: the message names the file/column/problem."""


# --- financial years --------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A financial year, April `year` to March `year` + 1 ("2023/24")."""

    year: int

    @property
    def start(self) -> pd.Timestamp:
        return pd.Timestamp(self.year, 4, 1)

    @property
    def end(self) -> pd.Timestamp:
        return pd.Timestamp(self.year + 1, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __str__(self) -> str:
        return self.label


def financial_year(value: int | str | pd.Timestamp) -> FinancialYear:
    """A financial year from its start year (2023), label ("2023/24") or a date in it."""
    if isinstance(value, FinancialYear):
        return value
    if isinstance(value, int | np.integer):
        return FinancialYear(int(value))
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})/(\d{2}|\d{4})", text)
    if match:
        first, second = int(match[1]), int(match[2])
        if second % 100 != (first + 1) % 100:
            raise ValueError(f"not a financial year: {value!r} (expected e.g. 2023/24)")
        return FinancialYear(first)
    stamp = pd.Timestamp(text)
    return FinancialYear(stamp.year if stamp.month >= 4 else stamp.year - 1)


def financial_year_label(year: int) -> str:
    return FinancialYear(int(year)).label


def days_in_financial_year(years) -> np.ndarray:
    """Days in the financial years starting in April of `years` (366 when it holds 29 Feb)."""
    years = np.asarray(years, dtype=int)
    leap = ((years + 1) % 4 == 0) & (((years + 1) % 100 != 0) | ((years + 1) % 400 == 0))
    return np.where(leap, 366, 365)


def latest_complete_financial_year(start, end) -> FinancialYear:
    """The latest financial year wholly inside the data, from `start` to `end` inclusive.

    Error if the data do not cover a whole financial year.
    """
    start, end = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    fy = financial_year(end)
    if fy.end > end:
        fy = FinancialYear(fy.year - 1)
    if fy.start < start:
        raise ProjectionError(
            f"The data ({start:%d %b %Y} to {end:%d %b %Y}) hold no complete financial year "
            "(April to March): the base year of a projection needs one"
        )
    return fy


# --- reading projections ------------------------------------------------------------------


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
            "sex": long["Sex"].map(PUBLISHED_SEX).astype(np.int64).to_numpy(),
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
    sex = frame["sex"].astype(str).str.strip().replace({"Male": "1", "Female": "2"})
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


# --- population growth ------------------------------------------------------------------------


def _one_area(projections: pd.DataFrame, code: str) -> pd.DataFrame:
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


def _check_years(projections: pd.DataFrame, years: Sequence[int], what: str) -> None:
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
    area = _one_area(projections, code)
    _check_years(projections, [base_year, *years], "Year")
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
    area = _one_area(projections, code)
    _check_years(projections, [base_year, year], "Year")
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
    _require(base_population, ["sex", "age", "population"], "base population")
    base = base_population.groupby(["sex", "age"], as_index=False)["population"].sum()
    merged = growth.merge(base, on=["sex", "age"], how="left")
    merged["population"] = merged["population"].fillna(0.0) * merged["growth"]
    return merged[["year", "sex", "age", "population"]]


def area_population(
    population: pd.DataFrame, year: int, *, locality: str | None = None, code: str | None = None
) -> pd.DataFrame:
    """An area's population in one year by sex and single year of age (sex, age, population),
    from the contract's population table (estimates by locality). Error if the year is missing."""
    _require(population, ["year", "sex", "age", "population"], "population")
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


# --- age bands and base-year activity ------------------------------------------------------------


def age_band_labels(bands: Sequence[int]) -> list[str]:
    """Labels for age bands given by their lower bounds: [0, 65, 75] -> 0-64, 65-74, 75+."""
    bands = _check_bands(bands)
    labels = [f"{lo}-{hi - 1}" for lo, hi in zip(bands[:-1], bands[1:], strict=True)]
    return [*labels, f"{bands[-1]}+"]


def _check_bands(bands: Sequence[int]) -> list[int]:
    values = [int(b) for b in bands]
    if not values or values[0] != 0:
        raise ValueError(f"age bands must start at 0, not {values[:1]}")
    if any(b <= a for a, b in zip(values[:-1], values[1:], strict=True)):
        raise ValueError(f"age bands must increase: {values}")
    if values[-1] > OLDEST_AGE:
        raise ValueError(f"the last age band must start at {OLDEST_AGE} or younger (90 is 90+)")
    return values


def age_band(ages, bands: Sequence[int]) -> pd.Categorical:
    """The age band of each age (bands by lower bound; the last is open)."""
    bands = _check_bands(bands)
    labels = age_band_labels(bands)
    codes = np.searchsorted(np.asarray(bands), np.asarray(ages, dtype=float), side="right") - 1
    return pd.Categorical.from_codes(codes.astype(int), categories=labels, ordered=True)


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
    _require(stays, ["admission_date", "discharge_date", "age", "sex", "ppa"], "emergency stays")
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


def _banded(population: pd.DataFrame, bands: Sequence[int], keys: Sequence[str]) -> pd.DataFrame:
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
    pop = _banded(population, bands, [])
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
    pop = _banded(projected_population, bands, ["year"])
    merged = pop.merge(
        rates[["age_band", "sex", *(f"{m}_rate" for m in ACTIVITY)]],
        on=["age_band", "sex"],
        how="left",
    )
    for measure in ACTIVITY:
        merged[measure] = merged[f"{measure}_rate"].fillna(0.0) * merged["population"] / 1000
    keys = ["year", *by]
    return merged.groupby(keys, observed=True, as_index=False)[["population", *ACTIVITY]].sum()


# --- scenarios and their time profiles -------------------------------------------------------------


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
            span = f"{self.low:.0%} to {self.high:.0%} of PPAs avoided"
        else:
            unit = " a year" if self.per == "year" else ""
            span = f"{self.low:+.1%} to {self.high:+.1%}{unit}"
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


def _combine(demography: pd.DataFrame, factors: Mapping[str, np.ndarray]):
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
    admissions, bed_days = _combine(demography, factors)
    return pd.DataFrame(
        {
            "year": demography["year"].to_numpy(),
            "demography_admissions": demography["admissions"].to_numpy(dtype=float),
            "demography_bed_days": demography["bed_days"].to_numpy(dtype=float),
            "admissions": admissions,
            "bed_days": bed_days,
        }
    )


def waterfall(
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
    total = float(_combine(picked, factors)[0 if measure == "admissions" else 1][0])
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


# --- Monte Carlo ----------------------------------------------------------------------------------


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
    admissions, bed_days = _combine(demography, factors)
    shape = (runs, len(demography))
    return MonteCarlo(
        years=demography["year"].to_numpy(),
        draws=pd.DataFrame(draws),
        admissions=np.broadcast_to(admissions, shape).copy(),
        bed_days=np.broadcast_to(bed_days, shape).copy(),
        seed=seed,
    )


def s_curve(values: np.ndarray) -> pd.DataFrame:
    """The distribution of results as an S-curve: value (sorted), probability that the
    result is at or below it (i / n)."""
    ordered = np.sort(np.asarray(values, dtype=float))
    n = len(ordered)
    return pd.DataFrame({"value": ordered, "probability": np.arange(1, n + 1) / n})


# --- beds ----------------------------------------------------------------------------------------


def occupied_beds(bed_days, days):
    """Average occupied beds = bed days / days in the period."""
    return np.asarray(bed_days, dtype=float) / np.asarray(days, dtype=float)


def beds_at_occupancy(occupied, target: float):
    """Beds needed to hold `occupied` beds at a target occupancy: ceil(occupied / target)."""
    if not 0 < target <= 1:
        raise ValueError(f"target occupancy must be above 0 and at most 1, not {target}")
    # round first so 85.0 / 0.85 = 100.00000000000001 needs 100 beds, not 101
    beds = np.ceil(np.round(np.asarray(occupied, dtype=float) / target, 9))
    return beds.astype(int) if np.ndim(beds) else int(beds)


def erlang_b(beds: int, load: float) -> float:
    """Erlang-B blocking probability: the chance an arrival finds all `beds` full.

    Offered load in Erlangs = arrival rate x mean length of stay (= the average
    occupied beds if no one were turned away). The stable recursion
    B(0) = 1, B(n) = load B(n-1) / (n + load B(n-1)) avoids the factorials of
    the closed form B = (A^N / N!) / sum_k A^k / k!.
    """
    if int(beds) != beds or beds < 0:
        raise ValueError(f"beds must be a whole number, 0 or more, not {beds}")
    if load < 0:
        raise ValueError(f"load must not be negative, not {load}")
    blocking = 1.0
    for n in range(1, int(beds) + 1):
        blocking = load * blocking / (n + load * blocking)
    return blocking


def beds_for_blocking(load, target: float):
    """The smallest number of beds whose Erlang-B blocking is at or below `target`.

    Works on one load or an array of loads (vectorised over loads).
    """
    if not 0 < target < 1:
        raise ValueError(f"target blocking must be between 0 and 1, not {target}")
    loads = np.asarray(load, dtype=float)
    if (loads < 0).any() or not np.isfinite(loads).all():
        raise ValueError("loads must be finite and not negative")
    blocking = np.ones_like(loads)
    beds = np.zeros(loads.shape, dtype=int)
    todo = (blocking > target) & (loads > 0)  # no arrivals need no beds
    n = 0
    while todo.any():
        n += 1
        blocking = np.where(todo, loads * blocking / (n + loads * blocking), blocking)
        beds = np.where(todo, n, beds)
        todo &= blocking > target
    return beds if loads.ndim else int(beds)


def seasonal_index(monthly: pd.DataFrame, value: str = "bed_days") -> pd.DataFrame:
    """Each calendar month's average daily value over the year's, for complete financial years.

    `monthly` has month (first day) and `value` (e.g. emergency bed days by month).
    For each complete financial year: (value / days in month) / (year's value /
    days in year); averaged over the years. Columns calendar_month (1-12),
    month_name, `value` (its mean over the years), index, years (how many years).
    """
    _require(monthly, ["month", value], "monthly series")
    frame = monthly.groupby("month", as_index=False)[value].sum()
    frame["month"] = pd.to_datetime(frame["month"])
    frame["fy"] = [financial_year(m).year for m in frame["month"]]
    frame["days"] = frame["month"].dt.days_in_month
    complete = frame.groupby("fy")["month"].transform("size") == 12
    frame = frame[complete]
    if frame.empty:
        raise ProjectionError("A seasonal index needs at least one complete financial year")
    yearly = frame.groupby("fy")[[value, "days"]].transform("sum")
    mean_daily = yearly[value] / yearly["days"]
    frame["index"] = (frame[value] / frame["days"]) / mean_daily.where(mean_daily > 0)
    frame["calendar_month"] = frame["month"].dt.month
    out = frame.groupby("calendar_month", as_index=False).agg(
        index=("index", "mean"), years=("fy", "nunique"), **{value: (value, "mean")}
    )
    out["month_name"] = pd.to_datetime(out["calendar_month"].astype(str), format="%m").dt.strftime(
        "%b"
    )
    # April first, as a financial year reads
    out["order"] = (out["calendar_month"] - 4) % 12
    out = out.sort_values("order").drop(columns="order").reset_index(drop=True)
    return out[["calendar_month", "month_name", value, "index", "years"]]


def beds_required(
    projection: pd.DataFrame,
    *,
    peak_index: float = 1.0,
    target_occupancy: float = 0.85,
    target_blocking: float = 0.01,
    current_beds: float | None = None,
    measure: str = "bed_days",
) -> pd.DataFrame:
    """Beds required each year: at the target occupancy and by Erlang-B, at the winter peak.

    From projected bed days by year (column `measure`): average occupied beds =
    bed days / days in the financial year; peak occupied beds = that x the peak
    month's seasonal index; beds at occupancy = ceil(peak / target occupancy);
    beds by Erlang-B = the fewest beds with blocking at or below target_blocking
    for a load of the peak occupied beds; beds required = the larger of the two
    (Erlang-B needs more for small units, the occupancy rule for large ones).
    New beds = beds required - current beds; with no current_beds, the beds the
    first (base) year requires stand for the current beds.
    """
    _require(projection, ["year", measure], "projection")
    years = projection["year"].to_numpy()
    days = days_in_financial_year(years)
    average = occupied_beds(projection[measure].to_numpy(dtype=float), days)
    peak = average * peak_index
    at_occupancy = beds_at_occupancy(peak, target_occupancy)
    by_erlang = beds_for_blocking(peak, target_blocking)
    required = np.maximum(at_occupancy, by_erlang)
    current = float(required[0]) if current_beds is None else float(current_beds)
    return pd.DataFrame(
        {
            "year": years,
            "financial_year": [financial_year_label(y) for y in years],
            "bed_days": projection[measure].to_numpy(dtype=float),
            "average_occupied_beds": average,
            "peak_occupied_beds": peak,
            "beds_at_occupancy": at_occupancy,
            "beds_erlang": by_erlang,
            "beds_required": required,
            "current_beds": current,
            "new_beds": required - current,
        }
    )


# --- one area from data to beds ---------------------------------------------------------------


@dataclass
class AreaProjection:
    """Everything projected for one area (a partnership or one of its localities)."""

    area: str
    locality: str | None
    base_year: FinancialYear
    population_year: int
    variant: str
    params: ProjectionParams
    activity: pd.DataFrame  # base-year counts and rates by age band and sex
    population: pd.DataFrame  # projected population: year, sex, age, population
    demography: pd.DataFrame  # year, population, ACTIVITY (demography only)
    projection: pd.DataFrame  # apply_scenarios: demography and with scenarios (central)
    seasonality: pd.DataFrame  # seasonal_index of emergency bed days
    beds: pd.DataFrame  # beds_required with the scenarios (central)
    demography_beds: pd.DataFrame  # beds_required on demography alone
    monte_carlo: MonteCarlo
    current_beds: float | None

    @property
    def horizon(self) -> int:
        return self.params.horizon

    @property
    def peak_index(self) -> float:
        return float(self.seasonality["index"].max())

    @property
    def peak_month(self) -> str:
        """The busiest month's full name (e.g. January)."""
        month = int(self.seasonality.loc[self.seasonality["index"].idxmax(), "calendar_month"])
        return pd.Timestamp(2000, month, 1).strftime("%B")

    def beds_for(self, bed_days, years) -> np.ndarray:
        """Beds required for bed days in the given years: the larger of the occupancy rule
        and Erlang-B at the winter peak (as beds_required)."""
        peak = np.asarray(bed_days, dtype=float) / days_in_financial_year(years) * self.peak_index
        return np.maximum(
            beds_at_occupancy(peak, self.params.target_occupancy),
            beds_for_blocking(peak, self.params.target_blocking),
        )

    def fan(self, measure: str) -> pd.DataFrame:
        """10th, 50th and 90th percentiles by year of admissions, bed_days or beds, with the
        central projection (parameters at their means) and demography alone beside them.

        Beds rise with bed days, so the percentiles of beds are the beds of the
        percentiles of bed days (sample quantiles, method inverted_cdf): the Erlang-B
        sizing then runs on three values a year, not on every run.
        """
        years = self.monte_carlo.years
        if measure == "beds":
            bed_days = np.percentile(
                self.monte_carlo.bed_days, [10, 50, 90], axis=0, method="inverted_cdf"
            )
            p10, p50, p90 = (self.beds_for(q, years).astype(float) for q in bed_days)
            central = self.beds["beds_required"].to_numpy(dtype=float)
            demography = self.demography_beds["beds_required"].to_numpy(dtype=float)
        else:
            values = self.monte_carlo.values(measure)
            p10, p50, p90 = np.percentile(values, [10, 50, 90], axis=0)
            central = self.projection[measure].to_numpy()
            demography = self.projection[f"demography_{measure}"].to_numpy()
        return pd.DataFrame(
            {
                "year": years,
                "financial_year": [financial_year_label(y) for y in years],
                "demography": demography,
                "central": central,
                "p10": p10,
                "p50": p50,
                "p90": p90,
            }
        )

    def horizon_runs(self, measure: str) -> np.ndarray:
        """Every run's result at the horizon (for an S-curve)."""
        if measure == "beds":
            bed_days = self.monte_carlo.at(self.horizon, "bed_days")
            return self.beds_for(bed_days, [self.horizon]).astype(float)
        return self.monte_carlo.at(self.horizon, measure)

    def waterfall(self, measure: str = "bed_days") -> pd.DataFrame:
        return waterfall(
            self.demography, self.params.scenarios, self.base_year.year, self.horizon, measure
        )

    def summary(self) -> dict:
        """Base year and horizon figures for a summary table (one row per area)."""
        first, last = self.projection.iloc[0], self.projection.iloc[-1]
        beds, demo_beds = self.beds.iloc[-1], self.demography_beds.iloc[-1]
        row = {"area": self.area}
        for measure in ("admissions", "bed_days"):
            runs = self.horizon_runs(measure)
            row[f"base_{measure}"] = float(first[measure])
            row[f"demography_{measure}"] = float(last[f"demography_{measure}"])
            row[f"demography_{measure}_growth"] = (
                last[f"demography_{measure}"] / first[measure] - 1 if first[measure] else np.nan
            )
            row[f"scenario_{measure}"] = float(last[measure])
            row[f"scenario_{measure}_growth"] = (
                last[measure] / first[measure] - 1 if first[measure] else np.nan
            )
            row[f"p10_{measure}"], row[f"p90_{measure}"] = np.percentile(runs, [10, 90])
        bed_runs = self.horizon_runs("beds")
        row |= {
            "base_beds": int(self.beds["beds_required"].iloc[0]),
            "current_beds": float(beds["current_beds"]),
            "demography_beds": int(demo_beds["beds_required"]),
            "scenario_beds": int(beds["beds_required"]),
            "p10_beds": float(np.percentile(bed_runs, 10)),
            "p90_beds": float(np.percentile(bed_runs, 90)),
            "new_beds": float(beds["new_beds"]),
            "demography_new_beds": float(demo_beds["beds_required"] - beds["current_beds"]),
        }
        return row


def project_area(
    stays: pd.DataFrame,
    population: pd.DataFrame,
    projections: pd.DataFrame,
    *,
    code: str,
    params: ProjectionParams,
    base_year: FinancialYear,
    period: tuple,
    locality: str | None = None,
    area: str | None = None,
    current_beds: float | None = None,
) -> AreaProjection:
    """Project one area's emergency admissions, bed days and beds to params.horizon.

    `stays` are the partnership's emergency stays (emergency_stays), `population`
    the contract's population estimates, `projections` the tidy projections
    (every variant; params.variant chooses), `period` the data's first and last
    day. A locality uses its own stays and population and the partnership's
    (`code`) projected growth by age and sex. The steps are the module's
    functions; see the module docstring.
    """
    chosen, variant = choose_variant(projections, params.variant)
    first, last = projection_years(chosen)
    if not base_year.year < params.horizon <= last:
        raise ProjectionError(
            f"The horizon {params.horizon} must be after the base year {base_year} and no "
            f"later than the projections' last year ({last})"
        )
    if locality is not None:
        stays = stays[stays["locality"] == locality]
        if "hscp2019" in population.columns:
            population = population[population["hscp2019"] == code]
        population = population[population["locality"] == locality]
    elif "hscp2019" in population.columns:
        population = population[population["hscp2019"] == code]
    pop_year = population_year(population, chosen, base_year)
    base_pop = area_population(population, pop_year)
    years = list(range(base_year.year, params.horizon + 1))
    projected = project_population(base_pop, population_growth(chosen, code, pop_year, years))
    bands = params.age_bands
    activity = base_activity(stays, base_year, bands, open_until=period[1])
    activity = base_rates(activity, projected[projected["year"] == base_year.year], bands)
    demography = project_activity(activity, projected, bands)
    central = apply_scenarios(demography, params.scenarios, base_year.year, params.horizon)
    monthly = bed_days_by_month(stays, period[0], period[1])
    seasonality = seasonal_index(monthly)
    peak = float(seasonality["index"].max())
    options = {
        "peak_index": peak,
        "target_occupancy": params.target_occupancy,
        "target_blocking": params.target_blocking,
    }
    beds = beds_required(central, current_beds=current_beds, **options)
    demography_beds = beds_required(
        demography, current_beds=float(beds["current_beds"].iloc[0]), **options
    )
    runs = monte_carlo(
        demography,
        params.scenarios,
        base_year.year,
        params.horizon,
        runs=params.runs,
        seed=params.seed,
    )
    return AreaProjection(
        area=area or locality or code,
        locality=locality,
        base_year=base_year,
        population_year=pop_year,
        variant=variant,
        params=params,
        activity=activity,
        population=projected,
        demography=demography,
        projection=central,
        seasonality=seasonality,
        beds=beds,
        demography_beds=demography_beds,
        monte_carlo=runs,
        current_beds=current_beds,
    )


def summary_table(areas: Sequence[AreaProjection]) -> pd.DataFrame:
    """One row per area: base year, demography and scenario figures at the horizon."""
    return pd.DataFrame([a.summary() for a in areas])


def growth_words(change: float, digits: int = 1) -> str:
    """A projected relative change in words: 0.095 -> 'a rise of 9.5%', -0.024 -> 'a fall of
    2.4%' (future tense-neutral, unlike report.fmt_change's 'rose by')."""
    if change is None or pd.isna(change):
        return "no comparison"
    if abs(change) < 0.5 * 10 ** -(digits + 2):
        return "no change"
    return f"a {'rise' if change > 0 else 'fall'} of {100 * abs(change):.{digits}f}%"


def drivers_table(areas: Sequence[AreaProjection], measure: str = "bed_days") -> pd.DataFrame:
    """Side by side for each area: the base year, the change from demography, from each
    scenario and from their interaction (the waterfall's steps), the horizon (central) and
    the 10th and 90th percentiles of the Monte Carlo runs there."""
    rows = []
    for area in areas:
        steps = area.waterfall(measure)
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
                f"{sc.low:.0%} to {sc.high:.0%} of potentially preventable admissions (and "
                f"their bed days) are avoided by {last}"
            )
        else:
            subject = {
                "admission_rates": "emergency admission rates of each age band and sex change",
                "length_of_stay": "the average length of an emergency stay changes",
            }[sc.name]
            when = "a year, to" if sc.per == "year" else "by"
            what = f"{subject} by {sc.low:+.1%} to {sc.high:+.1%} {when} {last}"
        lines.append(f"{sc.label}: {what} (80% range), {phasing}.")
    return lines


def population_by_band(
    population: pd.DataFrame, bands: Sequence[int], base_year: int, horizon: int
) -> pd.DataFrame:
    """Projected population by age band in the base year and at the horizon, with the
    relative change, and an "All ages" row: age_band, base, horizon, change."""
    banded = _banded(population[population["year"].isin([base_year, horizon])], bands, ["year"])
    wide = banded.pivot_table(
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
            "sex": act["sex"].map({1: "Male", 2: "Female"}).to_numpy(),
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
        area = _one_area(chosen, code)
        _check_years(chosen, [base_year, horizon], "Year")
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


# --- parameters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectionParams:
    """The projection's parameters (params/scenarios/projections.yaml)."""

    horizon: int = 2035
    variant: str | None = None
    age_bands: tuple[int, ...] = (0, 18, 45, 65, 75, 85)
    target_occupancy: float = 0.85
    target_blocking: float = 0.01
    runs: int = 5000
    seed: int = 20260601
    scenarios: tuple[Scenario, ...] = ()
    source: str = "defaults"
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    def with_overrides(self, **overrides) -> ProjectionParams:
        """The same parameters with the non-empty overrides (e.g. from a notebook's knobs)."""
        given = {k: v for k, v in overrides.items() if v is not None}
        unknown = set(given) - set(self.__dataclass_fields__)
        if unknown:
            raise ParamsError(f"Unknown projection parameters: {', '.join(sorted(unknown))}")
        out = replace(self, **given)
        _check_params(out, "the notebook's parameters")
        return out


def load_params(path: Path | str | None = None, **overrides) -> ProjectionParams:
    """Read and validate the projection parameters (default params/scenarios/projections.yaml).

    Every problem is an error naming the file and the key. `overrides` replace
    values (None leaves a value alone).
    """
    path = Path(path) if path else default_params_path()
    if not path.exists():
        raise ParamsError(f"{path}: projection parameters file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise ParamsError(f"{path}: not valid YAML: {err}") from err
    if not isinstance(raw, dict):
        raise ParamsError(
            f"{path}: expected keys (horizon, scenarios, ...), got {type(raw).__name__}"
        )
    known = {"horizon", "variant", "age_bands", "beds", "monte_carlo", "scenarios"}
    unknown = set(raw) - known
    if unknown:
        raise ParamsError(
            f"{path}: unknown keys {', '.join(sorted(unknown))} (known: {', '.join(sorted(known))})"
        )
    beds = _mapping(raw.get("beds"), path, "beds")
    mc = _mapping(raw.get("monte_carlo"), path, "monte_carlo")
    scenarios = _mapping(raw.get("scenarios"), path, "scenarios")
    defaults = ProjectionParams()
    params = ProjectionParams(
        horizon=_number(raw.get("horizon", defaults.horizon), path, "horizon", int),
        variant=raw.get("variant") or None,
        age_bands=tuple(_bands(raw.get("age_bands", list(defaults.age_bands)), path)),
        target_occupancy=_number(
            beds.get("target_occupancy", defaults.target_occupancy), path, "beds.target_occupancy"
        ),
        target_blocking=_number(
            beds.get("target_blocking", defaults.target_blocking), path, "beds.target_blocking"
        ),
        runs=_number(mc.get("runs", defaults.runs), path, "monte_carlo.runs", int),
        seed=_number(mc.get("seed", defaults.seed), path, "monte_carlo.seed", int),
        scenarios=tuple(_scenario(name, spec, path) for name, spec in scenarios.items()),
        source=_shown_path(path),
        raw=raw,
    )
    _check_params(params, str(path))
    return params.with_overrides(**overrides) if overrides else params


def _shown_path(path: Path) -> str:
    """A params path as a reader would look for it: relative to the project when inside it."""
    try:
        return str(path.resolve().relative_to(geography.params_dir().resolve().parent))
    except ValueError:
        return str(path)


def _mapping(value, path, key) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ParamsError(f"{path}: {key} must be a mapping of keys to values, got {value!r}")
    return value


def _number(value, path, key, kind=float):
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParamsError(f"{path}: {key} must be a number, got {value!r}")
    if kind is int and int(value) != value:
        raise ParamsError(f"{path}: {key} must be a whole number, got {value!r}")
    return kind(value)


def _bands(value, path) -> list[int]:
    if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
        raise ParamsError(f"{path}: age_bands must be a list of whole numbers, got {value!r}")
    try:
        return _check_bands(value)
    except ValueError as err:
        raise ParamsError(f"{path}: age_bands: {err}") from err


def _scenario(name: str, spec, path) -> Scenario:
    where = f"{path}: scenarios.{name}"
    if name not in SCENARIO_KINDS:
        raise ParamsError(
            f"{path}: unknown scenario {name!r}; the scenarios are {', '.join(SCENARIO_KINDS)}"
        )
    if not isinstance(spec, dict):
        raise ParamsError(f"{where} must be a mapping (label, low, high, profile ...)")
    allowed = {"label", "low", "high", "per", "profile", "start", "end"}
    unknown = set(spec) - allowed
    if unknown:
        raise ParamsError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    for key in ("low", "high"):
        if key not in spec:
            raise ParamsError(f"{where}: missing {key} (the 80% interval is low to high)")
    low = _number(spec["low"], path, f"scenarios.{name}.low")
    high = _number(spec["high"], path, f"scenarios.{name}.high")
    if high < low:
        raise ParamsError(f"{where}: high ({high}) is below low ({low})")
    per = spec.get("per", "horizon")
    if per not in ("horizon", "year"):
        raise ParamsError(f"{where}: per must be 'horizon' or 'year', not {per!r}")
    if name == "ppa_avoidance":
        if per != "horizon":
            raise ParamsError(f"{where}: the share of PPAs avoided is per horizon, not per year")
        if not 0 <= low <= high <= 1:
            raise ParamsError(f"{where}: the share avoided must be between 0 and 1")
    elif low <= -1:
        raise ParamsError(f"{where}: a change of {low:.0%} or less would leave nothing")
    profile = spec.get("profile", "linear")
    if profile not in PROFILES:
        raise ParamsError(f"{where}: profile must be one of {', '.join(PROFILES)}, not {profile!r}")
    start, end = spec.get("start"), spec.get("end")
    for key, value in (("start", start), ("end", end)):
        if value is not None:
            _number(value, path, f"scenarios.{name}.{key}", int)
    if start is not None and end is not None and end < start:
        raise ParamsError(f"{where}: end ({end}) is before start ({start})")
    return Scenario(
        name=name,
        label=str(spec.get("label") or name.replace("_", " ").capitalize()),
        low=low,
        high=high,
        profile=profile,
        per=per,
        start=None if start is None else int(start),
        end=None if end is None else int(end),
    )


def _check_params(params: ProjectionParams, where: str) -> None:
    if not 0 < params.target_occupancy <= 1:
        raise ParamsError(f"{where}: target occupancy must be above 0 and at most 1")
    if not 0 < params.target_blocking < 1:
        raise ParamsError(f"{where}: target blocking must be between 0 and 1")
    if params.runs < 1:
        raise ParamsError(f"{where}: monte_carlo.runs must be 1 or more")
    if not 1981 <= params.horizon <= 2100:
        raise ParamsError(f"{where}: horizon must be a year, not {params.horizon}")


def current_beds(partnership: geography.Partnership) -> float | None:
    """The partnership's `current_beds` (params/partnerships/<slug>.yaml), or None when empty.

    None means the beds the base year needed at the target occupancy stand for
    the current beds (beds_required). Anything but an empty value or a positive
    number is an error naming the file's key.
    """
    value = partnership.settings.get("current_beds")
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ParamsError(
            f"params/partnerships/{partnership.slug}.yaml: current_beds must be a positive "
            f"number of beds or empty, not {value!r}"
        )
    return float(value)


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"the {what} table lacks column(s) {', '.join(missing)}")


__all__ = [
    "ACTIVITY",
    "FinancialYear",
    "MonteCarlo",
    "PROFILES",
    "ProjectionError",
    "ProjectionParams",
    "SCENARIO_KINDS",
    "Scenario",
    "age_band",
    "age_band_labels",
    "apply_scenarios",
    "AreaProjection",
    "area_population",
    "base_activity",
    "base_rates",
    "beds_at_occupancy",
    "beds_for_blocking",
    "beds_required",
    "choose_variant",
    "current_beds",
    "days_in_financial_year",
    "demographic_factor",
    "drivers_table",
    "growth_words",
    "emergency_stays",
    "erlang_b",
    "financial_year",
    "financial_year_label",
    "latest_complete_financial_year",
    "load_params",
    "monte_carlo",
    "occupied_beds",
    "population_by_band",
    "population_growth",
    "population_series",
    "population_year",
    "project_activity",
    "project_area",
    "project_population",
    "projection_variants",
    "projection_years",
    "read_projections",
    "rates_table",
    "s_curve",
    "scenario_sentences",
    "scenario_factors",
    "seasonal_index",
    "summary_table",
    "tidy_projections",
    "time_profile",
    "variant_factors",
    "waterfall",
    "yearly_table",
]
