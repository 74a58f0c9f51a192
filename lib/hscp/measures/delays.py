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

from hscp.extracts import DELAY_REASONS
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

#: Reason groups of the PHS open data files (code 100 is not in open data).
OPEN_DATA_REASON_GROUPS = (
    "Code 9 AWI",
    "Code 9 Non-AWI",
    "Health and Social Care Reasons",
    "Patient and Family Related Reasons",
)
#: The label PHS uses for the total of the reason groups.
ALL_DELAY_REASONS = "All Delay Reasons"

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
    out of the headline figures); `age_group` at the ready for discharge date
    (18-74, 75+; missing under 18). No row is dropped: see eligible_delays.
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
    age = pd.to_numeric(out["age"])
    age_group = pd.Series(np.nan, index=out.index, dtype="str")
    age_group[_flag(age.ge(18))] = "18-74"
    age_group[_flag(age.ge(75))] = "75+"
    out["age_group"] = age_group
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


#: The reason groups of the headline figures (code 100 kept apart), in PHS's order.
REASON_GROUPS = (
    "Health and Social Care Reasons",
    "Patient/Carer/Family-related Reasons",
    "Code 9",
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

    `bed_days`: delayed_bed_days by month, hscp2019, locality and age_group (the
    store's "delayed_bed_days" comparator). Rates per 1,000 population aged 18+
    and per 1,000 aged 75+ (national indicator NI19: bed days of people aged 75+
    per 1,000 population aged 75+), with the population of the latest mid-year
    not after `end`. Columns: area, level, bed_days, bed_days_75plus,
    population_18plus, population_75plus, rate_18plus, rate_75plus.
    """
    from hscp.measures.rates import crude_rate, population_total
    from hscp.measures.trends import latest_year

    last = month_number(end)
    first = last - months + 1
    numbers = to_month_number(bed_days["month"].to_numpy().astype("datetime64[D]"))
    recent = bed_days[(numbers >= first) & (numbers <= last)]
    year = latest_year(population, pd.Timestamp(end))
    adults = population_total(population, year, min_age=18, by=["hscp2019", "locality"])
    older = population_total(population, year, min_age=75, by=["hscp2019", "locality"])

    def summarise(
        rows: pd.DataFrame, pop_rows: pd.DataFrame, old_rows: pd.DataFrame, area: str, level: str
    ):
        return {
            "area": area,
            "level": level,
            "bed_days": int(rows["bed_days"].sum()),
            "bed_days_75plus": int(rows.loc[rows["age_group"] == "75+", "bed_days"].sum()),
            "population_18plus": int(pop_rows["population"].sum()),
            "population_75plus": int(old_rows["population"].sum()),
        }

    mine = recent[recent["hscp2019"] == partnership]
    out = []
    for locality in sorted(adults.loc[adults["hscp2019"] == partnership, "locality"].unique()):
        out.append(
            summarise(
                mine[mine["locality"] == locality],
                adults[(adults["hscp2019"] == partnership) & (adults["locality"] == locality)],
                older[(older["hscp2019"] == partnership) & (older["locality"] == locality)],
                locality,
                "Locality",
            )
        )
    from hscp import geography

    out.append(
        summarise(
            mine,
            adults[adults["hscp2019"] == partnership],
            older[older["hscp2019"] == partnership],
            geography.partnership(partnership).name,
            "Partnership",
        )
    )
    # Scotland: the partnerships that have activity in the data (all 31 in real extracts)
    covered = set(recent["hscp2019"].unique())
    out.append(
        summarise(
            recent,
            adults[adults["hscp2019"].isin(covered)],
            older[older["hscp2019"].isin(covered)],
            "Scotland",
            "Scotland",
        )
    )
    table = pd.DataFrame(out)
    table["rate_18plus"] = crude_rate(table["bed_days"], table["population_18plus"])
    table["rate_75plus"] = crude_rate(table["bed_days_75plus"], table["population_75plus"])
    return table
