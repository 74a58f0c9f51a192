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
    present: Sequence[str] | None = None,
) -> pd.DataFrame:
    """People aged min_age to max_age in `year` by area (sum_by_area): columns area,
    area_type, [age_band, sex,] population. With bands=True, by ESP2013 band and sex
    (for age-sex standardisation). Age 90 is 90+ (max_age 90 or more means no limit).

    `present`: the partnerships (S37 codes) the counts cover. The board and
    Scotland then have the population of those partnerships only, so that an
    extract of part of Scotland gives rates of the part it covers, not counts of
    a few partnerships over the whole country's population (partnerships_present).
    """
    check_columns(population, ["year", "age", "sex", "population"], "population_by_area")
    if present is not None:
        population = population[population["hscp2019"].isin(set(present))]
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


def partnerships_present(table: pd.DataFrame) -> tuple[str, ...]:
    """The partnerships (S37 codes) an aggregate table has rows for."""
    check_columns(table, ["hscp2019"], "partnerships_present")
    return tuple(sorted(table["hscp2019"].dropna().astype(str).unique()))


def covered_comparators(
    partnership: Partnership, present: Sequence[str], *, board: bool = True
) -> list[str]:
    """The comparators (the partnership's NHS board, Scotland) that the data cover whole.

    A total named after an area is that area only when every partnership in it is in
    the data: an extract of one partnership sums to that partnership, not to its board
    or to Scotland. Areas the data do not cover are left out of the comparisons (and
    the report says why: coverage_note)."""
    have = set(present)
    covered = []
    if board and {q.code for q in board_partnerships(partnership)} <= have:
        covered.append(partnership.health_board_name)
    if {q.code for q in geography.partnerships()} <= have:
        covered.append(geography.SCOTLAND_NAME)
    return covered


def coverage_note(table: pd.DataFrame, partnership: Partnership | None = None) -> str | None:
    """A sentence for a report when the data cover only part of Scotland, else None:
    which comparators are left out, and why."""
    present = partnerships_present(table)
    total = len(geography.partnerships())
    if len(present) >= total:
        return None
    board = ""
    shared_board = partnership is not None and len(board_partnerships(partnership)) > 1
    if shared_board and partnership.health_board_name not in covered_comparators(
        partnership, present
    ):
        board = f", nor {partnership.health_board_name}'s"
    return (
        f"The data cover {len(present)} of Scotland's {total} partnerships: their total is not "
        f"Scotland's{board}, so {'those comparators are' if board else 'Scotland is'} left out "
        "of the comparisons here. Where the open data folder has PHS's published figures (A&E "
        "activity), Scotland and the board come from them, named as such."
    )


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


def window_totals(
    table: pd.DataFrame,
    values: str | Sequence[str],
    end: MonthLike,
    partnership: Partnership,
    *,
    months: int = 12,
    by: str | Sequence[str] = (),
    board: bool = True,
) -> pd.DataFrame:
    """`values` summed over the `months` months ending `end`, by area (sum_by_area).

    `table` is an aggregate with month, hscp2019, locality and the values; a
    window the table does not cover is an error.
    """
    values = as_columns(values)
    check_columns(table, ["month", "hscp2019", "locality", *values], "window_totals")
    return sum_by_area(_window(table, end, months), partnership, values, by=by, board=board)


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
    present = partnerships_present(monthly)
    people = population_by_area(
        population,
        partnership,
        year,
        min_age=min_age,
        max_age=max_age,
        board=board,
        present=present,
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
        population,
        partnership,
        year,
        min_age=min_age,
        max_age=max_age,
        bands=True,
        board=board,
        present=present,
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


def area_rolling_rates(
    monthly: pd.DataFrame,
    value: str,
    population: pd.DataFrame,
    partnership: Partnership,
    *,
    min_age: int = 0,
    max_age: int | None = None,
    per: float = 1000,
    board: bool = True,
) -> pd.DataFrame:
    """Rolling 12-month rates by area, for trend charts that compare areas of different size.

    `monthly` is an aggregate table with month, hscp2019, locality and `value`.
    For each area and each month with 12 months behind it: `<value>_12m` (the
    total of the 12 months ending with the month), population (aged min_age to
    max_age, the estimate for population_year of the month) and rate (per
    `per`). Columns: month, area, area_type, <value>_12m, population, rate.
    """
    from hscp.measures.unscheduled import rolling_total

    check_columns(monthly, ["month", "hscp2019", "locality", value], "area_rolling_rates")
    by_area = sum_by_area(monthly, partnership, value, by="month", board=board)
    rolled = rolling_total(by_area, value, by=["area", "area_type"])
    rolled = rolled.dropna(subset=[f"{value}_12m"])
    years = population["year"].dropna().unique()
    rolled["population_year"] = [population_year(m, years) for m in rolled["month"]]
    people = pd.concat(
        [
            population_by_area(
                population,
                partnership,
                int(year),
                min_age=min_age,
                max_age=max_age,
                board=board,
                present=partnerships_present(monthly),
            ).assign(population_year=int(year))
            for year in rolled["population_year"].unique()
        ],
        ignore_index=True,
    )
    out = rolled.merge(people, on=["area", "area_type", "population_year"], how="left")
    out["rate"] = out[f"{value}_12m"] / out["population"].where(out["population"] > 0) * per
    keep = ["month", "area", "area_type", f"{value}_12m", "population", "rate"]
    return out[keep].sort_values(["area_type", "area", "month"], ignore_index=True)


def window_shares(
    table: pd.DataFrame,
    value: str,
    category: str,
    end: MonthLike,
    partnership: Partnership,
    *,
    months: int = 12,
    board: bool = True,
) -> pd.DataFrame:
    """Each category's count and share of its area's total over the months ending `end`.

    `table` is an aggregate with month, hscp2019, locality, `category` (e.g.
    ppa_condition) and `value`. Columns: area, area_type, category, value, share
    (0 to 1 of the area's total over all categories; missing when the total is 0).
    """
    check_columns(table, ["month", "hscp2019", "locality", category, value], "window_shares")
    window = _window(table, end, months)
    out = sum_by_area(window, partnership, value, by=category, board=board)
    total = out.groupby(["area", "area_type"], observed=True)[value].transform("sum")
    out["share"] = out[value] / total.where(total > 0)
    return out


def frequent_attenders_by_area(
    bands: pd.DataFrame,
    end: MonthLike,
    partnership: Partnership,
    *,
    threshold: int = 5,
    board: bool = True,
) -> pd.DataFrame:
    """Frequent A&E attenders in the 12 months ending `end`, by area, from the bands comparator.

    `bands` is attender_bands_over_time by hscp2019 and locality (the store's
    ae_attender_bands). Frequent = the bands at or above `threshold`, which must
    be a band's lower edge above 1 (2, 5 or 10). Columns: area, area_type,
    people, frequent_people, attendances, frequent_attendances, admissions,
    frequent_admissions, and the shares frequent_people_share,
    frequent_attendances_share, frequent_admissions_share (0 to 1).
    """
    from hscp.measures.repeat_attenders import _BAND_EDGES, ATTENDANCE_BANDS

    if threshold not in _BAND_EDGES[1:]:
        raise ValueError(
            f"frequent attenders by area can be counted only at a band edge (2, 5 or 10), not "
            f"{threshold}: the comparator table has people by band"
        )
    check_columns(bands, ["month", "hscp2019", "locality", "band", "people"], "frequent_attenders")
    last = month_start(end)
    window = bands[pd.to_datetime(bands["month"]) == last]
    if window.empty:
        raise ValueError(f"no 12-month window ending {last:%b %Y} in the repeat attender table")
    frequent_bands = ATTENDANCE_BANDS[_BAND_EDGES.index(threshold) :]
    counts = ["people", "attendances", "admissions"]
    window = window.assign(frequent=window["band"].astype(str).isin(frequent_bands))
    for name in counts:
        window[f"frequent_{name}"] = window[name].where(window["frequent"], 0)
    out = sum_by_area(
        window, partnership, [*counts, *(f"frequent_{n}" for n in counts)], board=board
    )
    for name in counts:
        out[f"frequent_{name}_share"] = out[f"frequent_{name}"] / out[name].where(out[name] > 0)
    return out


#: The national indicators the unscheduled care report shows: numerator column,
#: denominator (population ages, or discharges), rate unit.
NATIONAL_INDICATORS = {
    # Acute hospitals (SMR01) only: not NI12 and NI13, which also count geriatric long
    # stay and mental health stays and transfers (the integration indicators report).
    "Acute admissions": {
        "name": "Emergency admission rate, acute hospitals (adults 18+)",
        "numerator": "ni12_admissions",
        "min_age": 18,
        "per": 100_000,
        "unit": "per 100,000 adults",
    },
    "Acute bed days": {
        "name": "Emergency bed day rate, acute hospitals (adults 18+)",
        "numerator": "ni13_bed_days",
        "min_age": 18,
        # bed days come in stays, not one at a time: a Poisson interval would be far too narrow
        "no_interval": True,
        "per": 100_000,
        "unit": "per 100,000 adults",
    },
    "NI14": {
        "name": "Emergency readmissions within 28 days",
        "numerator": "ni14_readmissions",
        "denominator": "ni14_discharges",
        "per": 1000,
        "unit": "per 1,000 discharges",
    },
    "NI16": {
        "name": "Falls rate (people aged 65+)",
        "numerator": "ni16_falls",
        "min_age": 65,
        "per": 1000,
        "unit": "per 1,000 aged 65+",
    },
}


def national_indicator_rates(
    indicators: pd.DataFrame,
    population: pd.DataFrame,
    end: MonthLike,
    partnership: Partnership,
    *,
    board: bool = True,
) -> pd.DataFrame:
    """NI12, NI13, NI14 and NI16 over the 12 months ending `end`, by area.

    `indicators` is the store's national_indicators comparator (numerators by
    month, hscp2019, locality). NI12, NI13, NI16 are crude rates per population
    (area_rates, Byar's interval; none for NI13: bed days come in stays, so they
    are not Poisson counts and Byar's interval would be far too narrow); NI14 is
    readmissions per 1,000 discharges with a Wilson score interval. Columns: indicator, name, area, area_type,
    numerator, denominator, rate, lower, upper, unit.
    """
    from hscp.measures.standardise import proportion_ci

    parts = []
    for code, spec in NATIONAL_INDICATORS.items():
        numerator = spec["numerator"]
        if "denominator" in spec:
            window = _window(indicators, end)
            sums = sum_by_area(
                window, partnership, [numerator, spec["denominator"]], board=board
            ).rename(columns={numerator: "numerator", spec["denominator"]: "denominator"})
            interval = proportion_ci(sums["numerator"], sums["denominator"], per=spec["per"])
            part = pd.concat([sums, interval], axis=1)
        else:
            rates = area_rates(
                indicators,
                numerator,
                population,
                end,
                partnership,
                min_age=spec["min_age"],
                per=spec["per"],
                standardise=False,
                board=board,
            )
            part = rates.rename(columns={numerator: "numerator", "population": "denominator"})
        if spec.get("no_interval"):
            part[["lower", "upper"]] = np.nan
        part = part.assign(indicator=code, name=spec["name"], unit=spec["unit"])
        parts.append(
            part[
                [
                    "indicator",
                    "name",
                    "area",
                    "area_type",
                    "numerator",
                    "denominator",
                    "rate",
                    "lower",
                    "upper",
                    "unit",
                ]
            ]
        )
    return pd.concat(parts, ignore_index=True)


#: The rates of the unscheduled care report: measure -> (comparator table, count column).
UNSCHEDULED_MEASURES = {
    "Emergency admissions": ("emergency", "admissions"),
    "Emergency bed days": ("emergency", "bed_days"),
    "Potentially preventable admissions": ("emergency", "ppa_admissions"),
    "A&E attendances": ("ae", "attendances"),
}
#: Counts that are not events one at a time: rates without a confidence interval.
NO_INTERVAL = ("Emergency bed days",)


def unscheduled_rates(
    emergency: pd.DataFrame,
    ae: pd.DataFrame,
    population: pd.DataFrame,
    end: MonthLike,
    partnership: Partnership,
    *,
    per: float = 1000,
    board: bool = True,
) -> pd.DataFrame:
    """Crude and age-sex standardised rates per `per` people of all ages, by area, for
    the 12 months ending `end`: emergency admissions, emergency bed days, potentially
    preventable admissions (from the emergency_admissions comparator) and A&E
    attendances (ae_monthly).

    Columns: measure, area, area_type, count, population, population_year, rate,
    lower, upper, easr, easr_lower, easr_upper (area_rates). Emergency bed days
    have no intervals (missing): a stay brings many bed days at once, so they are
    not Poisson counts and Byar's or Dobson's interval would be far too narrow.
    """
    tables = {"emergency": emergency, "ae": ae}
    parts = []
    for measure, (table, column) in UNSCHEDULED_MEASURES.items():
        rates = area_rates(
            tables[table], column, population, end, partnership, per=per, board=board
        )
        rates = rates.rename(columns={column: "count"})
        if measure in NO_INTERVAL:
            rates[["lower", "upper", "easr_lower", "easr_upper"]] = np.nan
        parts.append(rates.assign(measure=measure))
    out = pd.concat(parts, ignore_index=True)
    first = ["measure", "area", "area_type", "count"]
    return out[first + [c for c in out.columns if c not in first]]
