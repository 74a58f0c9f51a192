"""Delayed discharges: reasons, monthly bed days and the monthly census, to the PHS rules.

Source: Public Health Scotland, Delayed discharges in NHSScotland (monthly
publication) and its code, Public-Health-Scotland/delayed-discharges-monthly:
code/01_create-scotland-file.R (exclusions, age groups, reason groups, bed days
in the month, census flag, delay at census and its length bands),
functions/census_date.R (census = last Thursday of the month) and
code/open-data/02_bed-days-ca.R (code 100 removed from open data, open data
reason groups, average daily beds rounded half up). The data definitions are the
Delayed Discharge Definitions and Data Recording Manual (effective 1 July 2016).
docs/methods.md has the rules in words, with worked examples.

PHS works from monthly submissions; the contract's extract has one row per delay
episode spanning months. The rules below are the PHS monthly rules applied to
every month a delay is open in, which gives the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hscp.conventions.sex import SEX_NAMES
from hscp.extracts import DELAY_DISCHARGE_TO, DELAY_REASONS
from hscp.measures._months import (
    MonthLike,
    as_columns,
    check_columns,
    days,
    expand_by_month,
    last_day,
    month_number,
    month_timestamps,
    monthly_totals,
    period_months,
    to_month_number,
)

#: Age groups at the ready for discharge date (people under 18 are not counted).
AGE_GROUPS = ("18-74", "75+")
#: The label PHS uses for the total of the age groups.
ALL_AGES = "18+"
#: Finer age bands at the ready for discharge date (for 65+ and 75+ figures):
#: (label, youngest, oldest).
_AGE_BANDS = (("18-64", 18, 64), ("65-74", 65, 74), ("75-84", 75, 84), ("85+", 85, None))
AGE_BANDS = tuple(label for label, _, _ in _AGE_BANDS)

#: Reason groups of the PHS open data files (code 100 is not in open data).
OPEN_DATA_REASON_GROUPS = (
    "Code 9 AWI",
    "Code 9 Non-AWI",
    "Health and Social Care Reasons",
    "Patient and Family Related Reasons",
)
#: The label PHS uses for the total of the reason groups.
ALL_DELAY_REASONS = "All Delay Reasons"

#: Standard delays (health and social care, patient/carer/family reasons) and code 9
#: delays: PHS's split of delays ("Standard": delayed-discharges-monthly
#: code/04_create-excel-data.R, every reason group but "Code 9"; "All Delays excl.
#: Code 9" in code/03_census_and_bed_days.R).
DELAY_TYPES = ("Standard", "Code 9")

#: Code 100 (reprovisioning/recommissioning): kept apart from the headline figures.
CODE_100 = "100"
#: Code 9 secondary reasons left out of the census (care home or ward closed).
CENSUS_EXCLUDED_REASONS = ("26X", "46X")

#: Length of delay at the census, in days: (label, shortest, longest).
_BANDS = (
    ("1-3 days", 1, 3),
    ("4-14 days", 4, 14),
    ("2-4 weeks", 15, 28),
    ("4-6 weeks", 29, 42),
    ("6-12 weeks", 43, 84),
    ("3-6 months", 85, 182),
    ("6-12 months", 183, 365),
    ("Over 12 months", 366, None),
)
#: The length of delay bands at the census, shortest first.
DELAY_LENGTH_BANDS = tuple(label for label, _, _ in _BANDS)

_OPEN_DATA_GROUP_OF = {
    "Health and Social Care Reasons": "Health and Social Care Reasons",
    "Patient/Carer/Family-related Reasons": "Patient and Family Related Reasons",
}


def _open_data_group(group: str, subgroup: str) -> str | None:
    if group == "Code 9":
        return "Code 9 AWI" if subgroup == "Adults with Incapacity Act" else "Code 9 Non-AWI"
    if group == "Code 100":
        return None
    return _OPEN_DATA_GROUP_OF[group]


_GROUP = {code: group for code, (group, _) in DELAY_REASONS.items()}
_DELAY_TYPE = {
    "Health and Social Care Reasons": "Standard",
    "Patient/Carer/Family-related Reasons": "Standard",
    "Code 9": "Code 9",
}
_SUBGROUP = {code: subgroup for code, (_, subgroup) in DELAY_REASONS.items()}
_OPEN_DATA_GROUP = {code: _open_data_group(*pair) for code, pair in DELAY_REASONS.items()}


def _flag(values: pd.Series) -> np.ndarray:
    """A boolean comparison result with missing values as False."""
    return values.fillna(False).to_numpy(dtype=bool)


def delay_reasons(delays: pd.DataFrame) -> pd.DataFrame:
    """The delays with their reason and age groups added.

    Adds: `reason_code`, the code used for grouping: reason_for_delay, except code
    9, where it is the 9X code in reason_for_delay_secondary; `reason_group` and
    `reason_subgroup` from extracts.DELAY_REASONS (Health and Social Care Reasons,
    Patient/Carer/Family-related Reasons, Code 9, Code 100); `open_data_reason_group`,
    the group in PHS's open data files (Health and Social Care Reasons, Patient
    and Family Related Reasons, Code 9 AWI, Code 9 Non-AWI; missing for code 100,
    which is not published); `code_100` (True for code 100 delays, which are kept
    out of the headline figures); `delay_type` (DELAY_TYPES: Standard for health and
    social care and patient/carer/family reasons, Code 9; missing for code 100);
    `age_group` at the ready for discharge date
    (18-74, 75+; missing under 18) and `age_band` (AGE_BANDS: 18-64, 65-74, 75-84,
    85+; missing under 18), which add up to 65+ and 75+. No row is dropped: see
    eligible_delays.
    Source: delayed-discharges-monthly code/01_create-scotland-file.R (reason_match,
    age_group) and code/open-data/02_bed-days-ca.R.
    """
    check_columns(
        delays, ["reason_for_delay", "reason_for_delay_secondary", "age"], "delay_reasons"
    )
    out = delays.copy()
    primary = out["reason_for_delay"].astype("string").str.strip()
    secondary = out["reason_for_delay_secondary"].astype("string").str.strip()
    code = secondary.where(_flag(primary.eq("9")), primary)
    out["reason_code"] = code.astype("str")
    out["reason_group"] = code.map(_GROUP).astype("str")
    out["reason_subgroup"] = code.map(_SUBGROUP).astype("str")
    out["open_data_reason_group"] = code.map(_OPEN_DATA_GROUP).astype("str")
    out["code_100"] = _flag(primary.eq(CODE_100))
    out["delay_type"] = out["reason_group"].map(_DELAY_TYPE).astype("str")
    age = pd.to_numeric(out["age"])
    age_group = pd.Series(np.nan, index=out.index, dtype="str")
    age_group[_flag(age.ge(18))] = "18-74"
    age_group[_flag(age.ge(75))] = "75+"
    out["age_group"] = age_group
    age_band = pd.Series(np.nan, index=out.index, dtype="str")
    for label, youngest, _ in _AGE_BANDS:
        age_band[_flag(age.ge(youngest))] = label
    out["age_band"] = age_band
    return out


def eligible_delays(delays: pd.DataFrame) -> pd.DataFrame:
    """The delays PHS counts, with delay_reasons' columns added.

    Drops people under 18 at the ready for discharge date (the contract's `age`)
    and records whose ready for discharge date equals their discharge date (not a
    delay). Code 100 delays are kept (flagged `code_100`); each measure leaves
    them out unless asked. Source: delayed-discharges-monthly
    code/01_create-scotland-file.R, section 2 (Exclusions).
    """
    check_columns(delays, ["age", "ready_for_discharge_date", "discharge_date"], "eligible_delays")
    out = delay_reasons(delays)
    adult = _flag(pd.to_numeric(out["age"]).ge(18))
    same_day = _flag(out["ready_for_discharge_date"].eq(out["discharge_date"]))
    return out[adult & ~same_day].reset_index(drop=True)


def _prepared(delays: pd.DataFrame, include_code_100: bool, by: list[str], what: str):
    prepared = eligible_delays(delays)
    if not include_code_100:
        prepared = prepared[~prepared["code_100"].to_numpy()].reset_index(drop=True)
    check_columns(prepared, by, what)
    return prepared


def _delay_days(prepared: pd.DataFrame, last_month: int) -> tuple[np.ndarray, np.ndarray]:
    """Ready and discharge dates as days; a delay still open runs to the period end."""
    ready = days(prepared["ready_for_discharge_date"])
    discharged = days(prepared["discharge_date"])
    period_end = last_day(np.array([last_month]))[0]
    return ready, np.where(np.isnat(discharged), period_end, discharged)


def average_daily_beds(bed_days: pd.Series, month: pd.Series) -> pd.Series:
    """Average daily number of delayed beds: bed days / the number of days in the month.

    Unrounded; PHS publishes it rounded half up to a whole number
    (rates.round_half_up). Source: delayed-discharges-monthly
    code/open-data/02_bed-days-ca.R (AverageDailyNumberOfDelayedBeds).
    """
    in_month = pd.DatetimeIndex(pd.to_datetime(month)).days_in_month.to_numpy()
    return bed_days / in_month


def delayed_bed_days(
    delays: pd.DataFrame,
    start: MonthLike,
    end: MonthLike,
    by: str | Sequence[str] = (),
    include_code_100: bool = False,
) -> pd.DataFrame:
    """Delayed bed days per month: columns month, *by, bed_days, average_daily_beds.

    For each month a delay is open in: start = the ready for discharge date, or
    the day before the 1st if the delay was ready earlier; end = the discharge
    date, or the month end if discharged later or still delayed; bed days =
    end - start. That is, a delay occupies the midnights after its ready date up
    to its discharge date, each counted in the month of the day it begins, and a
    delay's bed days over all months add up to discharge - ready date. A delay
    ready on the last day of a month has no bed days that month and counts from
    the next month (PHS drops it from that month's submission). Eligible delays
    only (eligible_delays: 18+, ready date != discharge date); code 100 is left
    out unless include_code_100. Average daily beds = bed days / days in month.
    Months from `start` to `end` inclusive, zero-filled for every combination of
    the `by` columns present in the delays; `by` may name delay_reasons' columns
    (reason_group, open_data_reason_group, age_group ...).
    Source: delayed-discharges-monthly code/01_create-scotland-file.R
    ("Calculate number of bed days in month").
    """
    by = as_columns(by)
    prepared = _prepared(delays, include_code_100, by, "delayed_bed_days")
    months = period_months(start, end)
    ready, discharged = _delay_days(prepared, months[-1])
    row, month, bed_days = expand_by_month(ready, discharged, months[0], months[-1])
    out = monthly_totals(prepared, row, month, {"bed_days": bed_days}, months, by)
    out["average_daily_beds"] = average_daily_beds(out["bed_days"], out["month"])
    return out


def _census_day(month_numbers: np.ndarray) -> np.ndarray:
    """Last Thursday (datetime64[D]) of each month number."""
    last = last_day(month_numbers)
    # Day 0 of numpy's calendar, 1 January 1970, was a Thursday.
    return last - (last.astype(np.int64) % 7).astype("timedelta64[D]")


def census_date(month: MonthLike) -> pd.Timestamp:
    """The census date of a month: its last Thursday.

    A month whose last day is a Thursday has its census on that day (October 2024:
    Thursday 31 October). Source: delayed-discharges-monthly functions/census_date.R.
    """
    day = _census_day(np.array([month_number(month)]))[0]
    return pd.Timestamp(day)


def delay_length_band(delay_days: pd.Series | Sequence[int]) -> pd.Series:
    """The length of delay band (DELAY_LENGTH_BANDS, an ordered categorical) of a delay in days.

    1-3 days, 4-14 days, 2-4 weeks (15-28 days), 4-6 weeks (29-42), 6-12 weeks
    (43-84), 3-6 months (85-182), 6-12 months (183-365), over 12 months (366 or
    more); missing below 1 day. Source: delayed-discharges-monthly
    code/01_create-scotland-file.R (delay_length_group).
    """
    values = pd.Series(delay_days)
    number = pd.to_numeric(values).to_numpy(dtype=float, na_value=np.nan)
    upper = [longest for _, _, longest in _BANDS if longest is not None]
    codes = np.searchsorted(upper, number, side="left")
    codes = np.where(np.isnan(number) | (number < 1), -1, codes)
    bands = pd.Categorical.from_codes(codes, categories=list(DELAY_LENGTH_BANDS), ordered=True)
    return pd.Series(bands, index=values.index)


def _census_rows(prepared: pd.DataFrame, months: np.ndarray):
    """(row, month number, census day) for each delay counted at each month's census."""
    ready, discharged = _delay_days(prepared, months[-1])
    row, month, _ = expand_by_month(ready, discharged, months[0], months[-1])
    census_day = _census_day(month)
    excluded = prepared["reason_for_delay_secondary"].isin(CENSUS_EXCLUDED_REASONS)
    counted = (ready[row] < census_day) & (discharged[row] >= census_day) & ~_flag(excluded)[row]
    return row[counted], month[counted], census_day[counted]


def census(
    delays: pd.DataFrame,
    start: MonthLike,
    end: MonthLike,
    include_code_100: bool = False,
) -> pd.DataFrame:
    """The delays counted at each month's census: one row per delay and month.

    The census is taken on the last Thursday of the month (census_date). A delay
    counts if its ready for discharge date is before the census date and it was
    not discharged before it (discharge date missing or on or after the census
    date). Delays with secondary reason 26X (care home closed) or 46X (ward
    closed) are left out of the census (not out of bed days). Eligible delays only
    (18+, ready date != discharge date); code 100 is left out unless
    include_code_100. Adds month, census_date, delay_at_census (census date -
    ready date, in days), delay_length_band (DELAY_LENGTH_BANDS) and over_3_days
    (the headline: delays of more than 3 days) to the record's columns.
    Source: delayed-discharges-monthly code/01_create-scotland-file.R (census_flag,
    delay_at_census, delay_length_group), functions/census_date.R.
    """
    prepared = _prepared(delays, include_code_100, [], "census")
    months = period_months(start, end)
    row, month, census_day = _census_rows(prepared, months)
    ready = days(prepared["ready_for_discharge_date"])[row]
    delay_at_census = (census_day - ready).astype(np.int64)
    out = prepared.iloc[row].reset_index(drop=True)
    added = pd.DataFrame(
        {
            "month": month_timestamps(month),
            "census_date": pd.Series(census_day.astype("datetime64[ns]")),
            "delay_at_census": delay_at_census,
        }
    )
    added["delay_length_band"] = delay_length_band(added["delay_at_census"])
    added["over_3_days"] = delay_at_census > 3
    return pd.concat([added, out], axis=1)


def census_counts(
    delays: pd.DataFrame,
    start: MonthLike,
    end: MonthLike,
    by: str | Sequence[str] = (),
    include_code_100: bool = False,
) -> pd.DataFrame:
    """Delays at each month's census: columns month, *by, delays, delays_over_3_days.

    The rules are those of `census`. Months from `start` to `end` inclusive,
    zero-filled for every combination of the `by` columns present in the delays.
    Source: as `census`; the published headline is delays of more than 3 days.
    """
    by = as_columns(by)
    prepared = _prepared(delays, include_code_100, by, "census_counts")
    months = period_months(start, end)
    row, month, census_day = _census_rows(prepared, months)
    ready = days(prepared["ready_for_discharge_date"])[row]
    over_3 = ((census_day - ready).astype(np.int64) > 3).astype(np.int64)
    values = {"delays": np.ones(len(row), dtype=np.int64), "delays_over_3_days": over_3}
    return monthly_totals(prepared, row, month, values, months, by)


def census_median_delay(
    delays: pd.DataFrame,
    start: MonthLike,
    end: MonthLike,
    by: str | Sequence[str] = (),
    include_code_100: bool = False,
) -> pd.DataFrame:
    """The median length of delay of the people delayed at each month's census:
    columns month, *by, delays, median_delay (days; missing with no delays).

    The census and the delay at census (census date - ready for discharge date) are
    those of `census`: every delay counted at the census, of any length. With an
    even number of delays the median is the mean of the middle two, as R's median().
    Source: delayed-discharges-monthly code/03_census_and_bed_days.R
    (median_delay = median(delay_at_census) over the census file, by reason group),
    the median duration of PHS's census tables.
    """
    by = as_columns(by)
    rows = census(delays, start, end, include_code_100=include_code_100)
    check_columns(rows, by, "census_median_delay")
    grid = pd.DataFrame({"month": month_timestamps(period_months(start, end))})
    if by:
        grid = grid.merge(rows[by].drop_duplicates(), how="cross")
    stats = (
        rows.groupby(["month", *by], observed=True, dropna=False)["delay_at_census"]
        .agg(delays="size", median_delay="median")
        .reset_index()
    )
    out = grid.merge(stats, on=["month", *by], how="left")
    out["delays"] = out["delays"].fillna(0).astype(np.int64)
    return out


#: Where a person went after a delay, as PHS's discharge tables group it
#: (code/05_create-discharges-tables.R): placement (discharge_to 1), home (2, with
#: home care, and 3); deaths (4) and people not fit for discharge (5) are not counted.
DISCHARGE_DESTINATIONS = {1: "placement", 2: "home", 3: "home"}


def discharges_after_delay(
    delays: pd.DataFrame,
    start: MonthLike,
    end: MonthLike,
    by: str | Sequence[str] = (),
    include_code_100: bool = False,
) -> pd.DataFrame:
    """People discharged from hospital after a delay, by month of discharge: columns
    month, *by, discharges (placement + home), placement, home, not_recorded.

    An eligible delay (18+, ready date != discharge date; code 100 left out unless
    asked) discharged in the month to a placement (discharge_to 1) or home (2, home
    with home care, or 3). Deaths (4) and people no longer fit for discharge (5)
    are not discharges after a delay; a discharge with no destination recorded is
    counted apart (`not_recorded`), not in the total. Source:
    delayed-discharges-monthly code/05_create-discharges-tables.R (disch_in_month,
    discharge_reason 4 and 5 excluded, 1 Placement, 2-3 Home) and
    code/01_create-scotland-file.R (disch_in_month).
    """
    by = as_columns(by)
    prepared = _prepared(delays, include_code_100, [*by, "discharge_to"], "discharges_after_delay")
    months = period_months(start, end)
    discharged = days(prepared["discharge_date"])
    known = ~np.isnat(discharged)
    month = np.where(known, to_month_number(np.where(known, discharged, np.datetime64(0, "D"))), -1)
    in_period = known & (month >= months[0]) & (month <= months[-1])
    row = np.flatnonzero(in_period)
    to = pd.to_numeric(prepared["discharge_to"]).to_numpy(dtype=float, na_value=np.nan)[row]
    values = {
        "placement": (to == 1).astype(np.int64),
        "home": np.isin(to, (2, 3)).astype(np.int64),
        "not_recorded": np.isnan(to).astype(np.int64),
    }
    out = monthly_totals(prepared, row, month[row], values, months, by)
    out.insert(len(by) + 1, "discharges", out["placement"] + out["home"])
    return out


def census_profile(
    census_rows: pd.DataFrame,
    population: pd.DataFrame,
    month: MonthLike,
    partnership: str,
    *,
    per: float = 100_000,
) -> pd.DataFrame:
    """The census of one month, the PHS way, for each locality of a partnership and
    the partnership: columns area, level, delays, delays_over_3_days, standard,
    code_9, median_delay (days), population_18plus, rate_per_100000 (delays per
    100,000 residents aged 18+), population_year.

    `census_rows` is the output of `census` (the partnership's delays: localities
    are the record's `locality`, of residence). Standard and code 9 are DELAY_TYPES;
    the population is the mid-year estimate of the census month's financial year
    (rates.month_population_year; PHS publishes delays per 100,000 adults by the
    population aged 18+). Source: delayed-discharges-monthly
    code/03_census_and_bed_days.R (census file, median delay, "All Delays excl.
    Code 9"), code/04_create-excel-data.R ("Standard").
    """
    from hscp import geography
    from hscp.measures.rates import month_population_year, population_total

    check_columns(
        census_rows, ["month", "locality", "delay_at_census", "delay_type"], "census_profile"
    )
    when = pd.Timestamp(month).to_period("M").start_time
    rows = census_rows[census_rows["month"] == when]
    if "hscp2019" in rows:
        rows = rows[rows["hscp2019"] == partnership]
    mine = population[population["hscp2019"] == partnership]
    year = month_population_year(when, mine["year"].dropna().unique())
    adults = population_total(mine, year, min_age=18, by="locality").set_index("locality")
    localities = list(geography.partnership(partnership).localities)
    areas = [(loc, "Locality", rows["locality"] == loc) for loc in localities]
    areas.append(
        (geography.partnership(partnership).name, "Partnership", pd.Series(True, index=rows.index))
    )
    out = []
    for area, level, chosen in areas:
        part = rows[chosen.to_numpy()]
        people = (
            int(adults["population"].sum())
            if level == "Partnership"
            else int(adults["population"].get(area, 0))
        )
        out.append(
            {
                "area": area,
                "level": level,
                "delays": len(part),
                "delays_over_3_days": int((part["delay_at_census"] > 3).sum()),
                "standard": int((part["delay_type"] == "Standard").sum()),
                "code_9": int((part["delay_type"] == "Code 9").sum()),
                "median_delay": float(part["delay_at_census"].median()) if len(part) else np.nan,
                "population_18plus": people,
            }
        )
    table = pd.DataFrame(out)
    table["rate_per_100000"] = (
        table["delays"] / table["population_18plus"].where(table["population_18plus"] > 0) * per
    )
    table["population_year"] = year
    return table


#: The reason groups of the headline figures (code 100 kept apart), in PHS's order.
REASON_GROUPS = (
    "Health and Social Care Reasons",
    "Patient/Carer/Family-related Reasons",
    "Code 9",
)
#: Their subgroups, group by group, in the order of PHS's code list.
REASON_SUBGROUPS = tuple(
    dict.fromkeys(sub for group in REASON_GROUPS for g, sub in DELAY_REASONS.values() if g == group)
)


def census_by_band(
    census_rows: pd.DataFrame, month: MonthLike, columns: str = "reason_group"
) -> pd.DataFrame:
    """People delayed at one month's census by length of delay (rows, every band) and
    `columns` (reason group by default), with a Total column. `census_rows` is the
    output of `census`."""
    rows = census_rows[census_rows["month"] == pd.Timestamp(month).to_period("M").start_time]
    table = pd.crosstab(rows["delay_length_band"], rows[columns])
    order = (
        [g for g in REASON_GROUPS if g in table.columns]
        if columns == "reason_group"
        else list(table.columns)
    )
    table = table.reindex(index=list(DELAY_LENGTH_BANDS), columns=order, fill_value=0)
    table["Total"] = table.sum(axis=1)
    table.index = table.index.astype(str)
    table.columns.name = None
    return table.rename_axis("delay_length_band").reset_index()


#: The age groups of the delayed bed day rates: (label, youngest age, age bands in it).
RATE_AGES = (
    ("18plus", 18, AGE_BANDS),
    ("65plus", 65, ("65-74", "75-84", "85+")),
    ("75plus", 75, ("75-84", "85+")),
)


def delay_rates_by_area(
    bed_days: pd.DataFrame,
    population: pd.DataFrame,
    end: MonthLike,
    *,
    partnership: str,
    months: int = 12,
) -> pd.DataFrame:
    """Delayed bed days of the latest `months` months and rates per 1,000 residents,
    for each locality of a partnership, the partnership and Scotland.

    `bed_days`: delayed_bed_days by month, hscp2019, locality and age_band (the
    store's "delayed_bed_days" comparator). Rates per 1,000 population aged 18+
    (all delayed bed days), per 1,000 aged 65+ (bed days of people aged 65+) and
    per 1,000 aged 75+ (national indicator NI19: bed days of people aged 75+ per
    1,000 population aged 75+), with the population of the published population
    year of the months (unscheduled.population_year, the rule of every indicator:
    for April to March, the mid-year estimate of the first year, as PHS's
    national-indicators R/ni19_functions.R; the latest earlier estimate if that
    one is not out yet). Scotland is the partnerships that have delays in the data
    (all 31 in real extracts: check partnerships_present before calling it
    Scotland). Columns: area, level, then for each of 18plus, 65plus and 75plus:
    bed_days_<age>, population_<age>, rate_<age>; `bed_days` is bed_days_18plus
    (kept for the comparator's readers); population_year.
    """
    from hscp import geography
    from hscp.measures.rates import crude_rate, population_total
    from hscp.measures.unscheduled import population_year

    check_columns(
        bed_days, ["month", "hscp2019", "locality", "age_band", "bed_days"], "delay_rates_by_area"
    )
    last = month_number(end)
    first = last - months + 1
    numbers = to_month_number(days(bed_days["month"]))
    recent = bed_days[(numbers >= first) & (numbers <= last)]
    year = population_year(end, population["year"].dropna().unique())
    pops = {
        label: population_total(population, year, min_age=youngest, by=["hscp2019", "locality"])
        for label, youngest, _ in RATE_AGES
    }
    mine = recent["hscp2019"] == partnership
    covered = recent["hscp2019"].unique()
    areas = [
        (loc, "Locality", mine & (recent["locality"] == loc), ("hscp2019", partnership, loc))
        for loc in sorted(
            pops["18plus"].loc[pops["18plus"]["hscp2019"] == partnership, "locality"].unique()
        )
    ]
    areas.append(
        (
            geography.partnership(partnership).name,
            "Partnership",
            mine,
            ("hscp2019", partnership, None),
        )
    )
    areas.append(
        ("Scotland", "Scotland", pd.Series(True, index=recent.index), ("all", covered, None))
    )

    def population_of(pop: pd.DataFrame, key) -> int:
        kind, code, locality = key
        rows = pop["hscp2019"].isin(code) if kind == "all" else pop["hscp2019"] == code
        if locality is not None:
            rows &= pop["locality"] == locality
        return int(pop.loc[rows, "population"].sum())

    out = []
    for area, level, rows, key in areas:
        row = {"area": area, "level": level}
        for label, _, bands in RATE_AGES:
            in_age = rows & recent["age_band"].isin(bands)
            row[f"bed_days_{label}"] = int(recent.loc[in_age, "bed_days"].sum())
            row[f"population_{label}"] = population_of(pops[label], key)
        out.append(row)
    table = pd.DataFrame(out)
    for label, _, _ in RATE_AGES:
        table[f"rate_{label}"] = crude_rate(
            table[f"bed_days_{label}"], table[f"population_{label}"]
        )
    table.insert(2, "bed_days", table["bed_days_18plus"])
    table["population_year"] = year
    return table


# --- who is delayed in a period: one row per delay -------------------------------------

#: Where a delay ended (extracts.DELAY_DISCHARGE_TO), or that it had not ended.
STILL_DELAYED = "Still delayed at the end of the period"
NOT_RECORDED = "Not recorded"
DELAY_OUTCOMES = (*DELAY_DISCHARGE_TO.values(), NOT_RECORDED, STILL_DELAYED)

SEX_LABELS = SEX_NAMES


def delays_in_period(
    delays: pd.DataFrame,
    start: MonthLike,
    end: MonthLike,
    include_code_100: bool = False,
) -> pd.DataFrame:
    """The delays that have delayed bed days in the period: one row per delay.

    A delay is in the period when it has at least one bed day in the months
    `start` to `end` (the rules of delayed_bed_days: eligible delays, 18+, ready
    date != discharge date, code 100 left out unless asked), so these rows' bed
    days add up to delayed_bed_days over the period. Adds to delay_reasons'
    columns: `bed_days` (in the period); `delay_days` (discharge date - ready
    date, or period end - ready date for a delay still open at the period end);
    `delay_length_band` (DELAY_LENGTH_BANDS of delay_days); `ended` (discharged by
    the period end); `outcome` (where the person went, DELAY_OUTCOMES: the
    discharge_to label, "Not recorded" when it is missing, or "Still delayed at
    the end of the period"); `sex_label` (Male/Female).
    """
    check_columns(delays, ["link_no", "sex", "discharge_to"], "delays_in_period")
    prepared = _prepared(delays, include_code_100, [], "delays_in_period")
    months = period_months(start, end)
    ready, discharged = _delay_days(prepared, months[-1])
    row, _, bed_days = expand_by_month(ready, discharged, months[0], months[-1])
    per_delay = np.bincount(row, weights=bed_days, minlength=len(prepared)).astype(np.int64)
    keep = per_delay > 0
    out = prepared[keep].reset_index(drop=True)
    out["bed_days"] = per_delay[keep]
    period_end = last_day(np.array([months[-1]]))[0]
    recorded = days(out["discharge_date"])
    ended = ~np.isnat(recorded) & (recorded <= period_end)
    stop = np.where(ended, recorded, period_end)
    out["delay_days"] = (stop - days(out["ready_for_discharge_date"])).astype(np.int64)
    out["delay_length_band"] = delay_length_band(out["delay_days"])
    out["ended"] = ended
    went = pd.to_numeric(out["discharge_to"]).map(DELAY_DISCHARGE_TO).fillna(NOT_RECORDED)
    out["outcome"] = pd.Categorical(
        went.where(ended, STILL_DELAYED), categories=list(DELAY_OUTCOMES), ordered=True
    )
    out["sex_label"] = pd.to_numeric(out["sex"]).map(SEX_LABELS).fillna(NOT_RECORDED)
    return out


def delay_breakdown(
    period_delays: pd.DataFrame,
    by: str,
    *,
    order: Sequence[str] | None = None,
    total: str | None = "All",
    top: int | None = None,
) -> pd.DataFrame:
    """Delays and delayed bed days by one column of `delays_in_period` (or of
    delay_pathways' output): columns `by`, delays, bed_days, share_of_delays,
    share_of_bed_days (fractions of the total), with a total row named `total`.

    Every category of `order` appears (zero when none), then any others present
    (a categorical column's own categories are the default order); missing
    values are counted as "Not known". With `top`, the categories are the `top`
    with most bed days (largest first), then "All other" for the rest.
    """
    check_columns(period_delays, [by, "bed_days"], "delay_breakdown")
    column = period_delays[by]
    if order is None and isinstance(column.dtype, pd.CategoricalDtype):
        order = list(column.cat.categories)
    values = column.astype("object").where(column.notna(), "Not known").astype(str)
    grouped = (
        pd.DataFrame({by: values, "bed_days": period_delays["bed_days"].to_numpy()})
        .groupby(by, sort=False)["bed_days"]
        .agg(delays="size", bed_days="sum")
    )
    categories = [str(c) for c in (order or [])]
    categories += sorted(c for c in grouped.index if c not in categories)
    table = grouped.reindex(categories, fill_value=0).astype(np.int64)
    if top is not None and len(table) > top:
        ranked = table.sort_values(["bed_days", "delays"], ascending=False, kind="stable")
        table = ranked.head(top)
        table.loc["All other"] = ranked.iloc[top:].sum()
    if total is not None:
        table.loc[total] = table.sum()
    table = table.rename_axis(by).reset_index()
    n = len(period_delays)
    bed_days = int(period_delays["bed_days"].sum())
    table["share_of_delays"] = table["delays"] / n if n else np.nan
    table["share_of_bed_days"] = table["bed_days"] / bed_days if bed_days else np.nan
    return table


def total_of(
    table: pd.DataFrame, column: str, categories: str | Sequence[str], value: str = "bed_days"
) -> float:
    """The sum of `value` over the rows of a breakdown whose `column` is one of
    `categories` (for sentences: the bed days of people aged 75+ are the 75-84 and
    85+ rows of an age band breakdown). Missing (NaN) if any of those rows' value is
    missing, as in a published table where it was suppressed: a sentence must not
    add up what a table hides."""
    wanted = [categories] if isinstance(categories, str) else list(categories)
    check_columns(table, [column, value], "total_of")
    values = pd.to_numeric(table.loc[table[column].isin(wanted), value]).astype("Float64")
    return float("nan") if values.isna().any() else float(values.sum())


def largest(table: pd.DataFrame, column: str, exclude: Sequence[str] = (), value: str = "bed_days"):
    """The row of a breakdown with the most `value`, leaving out the total ("All") and
    the `exclude` categories; None if no row is left."""
    rows = table[~table[column].isin(["All", *exclude])]
    rows = rows[pd.to_numeric(rows[value]) > 0]
    return None if rows.empty else rows.sort_values(value, ascending=False, kind="stable").iloc[0]


def delayed_bed_days_by_min_age(
    delays: pd.DataFrame,
    start: MonthLike,
    end: MonthLike,
    min_ages: Sequence[int] = (65, 75),
) -> pd.DataFrame:
    """Monthly delayed bed days of people aged 65+ and 75+ (each `min_ages`), apart.

    Columns month, age ("65+", "75+"), bed_days, average_daily_beds: the rules of
    delayed_bed_days, by age at the ready for discharge date. The groups overlap
    (75+ is in 65+). `min_ages` must be band edges of AGE_BANDS (18, 65, 75, 85).
    """
    edges = {youngest: i for i, (_, youngest, _) in enumerate(_AGE_BANDS)}
    unknown = [a for a in min_ages if a not in edges]
    if unknown:
        raise ValueError(
            f"min_ages must be among {', '.join(map(str, edges))} (the AGE_BANDS edges), "
            f"not {', '.join(map(str, unknown))}"
        )
    by_band = delayed_bed_days(delays, start, end, by="age_band")
    out = []
    for youngest in min_ages:
        bands = AGE_BANDS[edges[youngest] :]
        part = (
            by_band[by_band["age_band"].isin(bands)]
            .groupby("month", as_index=False)["bed_days"]
            .sum()
        )
        part = (
            pd.DataFrame({"month": month_timestamps(period_months(start, end))})
            .merge(part, on="month", how="left")
            .fillna({"bed_days": 0})
        )
        part.insert(1, "age", f"{youngest}+")
        out.append(part)
    table = pd.concat(out, ignore_index=True)
    table["bed_days"] = table["bed_days"].astype(np.int64)
    table["average_daily_beds"] = average_daily_beds(table["bed_days"], table["month"])
    return table
