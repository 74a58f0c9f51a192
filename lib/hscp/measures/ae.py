"""A&E attendances and the 4-hour standard, to the PHS definitions.

Source: Public Health Scotland, A&E activity and waiting times (monthly
publication) and its open data, "Monthly Accident and Emergency Activity and
Waiting Times" (opendata.nhs.scot: "new and unplanned return attendances at
A&E services"; columns NumberOfAttendancesAll, NumberWithin4HoursAll,
PercentageWithin4HoursAll, NumberOver8HoursEpisode, NumberOver12HoursEpisode);
ISD Scotland, Emergency Department Activity notes: "the waiting time is
defined as the time of arrival until the time of discharge, admission or
transfer" and "new presentations only; excludes planned return and recall
attendances". The Scottish Government's 4-hour access standard: 95% of
attendances wait no longer than 4 hours from arrival to admission, discharge
or transfer. docs/methods-unscheduled-care.md has the rules in words.

The rules:
- Attendances counted: new and unplanned return attendances
  (attendance_category "New" or "Unplanned return"); planned returns are not
  attendances in PHS's figures.
- Time in the department = departure - arrival. Within 4 hours: 240 minutes or
  less (exactly 4 hours meets the standard: "no longer than 4 hours"); over 8
  hours: more than 480 minutes; over 12 hours: more than 720 minutes.
- An attendance with no departure time is counted as an attendance but not as
  within 4 hours (nor over 8 or 12 hours): its wait is unknown, and PHS's
  percentage has all attendances as its denominator.
- Percentage within 4 hours = within / attendances x 100. PHS publishes it
  rounded half up to one decimal place (rates.round_half_up(..., 1));
  that reproduces every published PercentageWithin4HoursAll (tests).
- Months are months of arrival.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hscp.measures._months import (
    MonthLike,
    as_columns,
    check_columns,
    days,
    monthly_totals,
    period_months,
    to_month_number,
)

#: The attendance categories PHS counts as attendances (planned returns are not).
COUNTED_CATEGORIES = ("New", "Unplanned return")
#: The 4-hour standard, and the 8- and 12-hour long waits, in minutes.
FOUR_HOURS, EIGHT_HOURS, TWELVE_HOURS = 240, 480, 720
#: Day names of `arrival_weekday`, Monday first.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_WAIT_COLUMNS = (
    "minutes_in_department",
    "within_4_hours",
    "over_8_hours",
    "over_12_hours",
    "admitted",
    "counted",
    "arrival_hour",
    "arrival_weekday",
)
#: Every level of these columns appears in a profile, even with no attendances.
_PROFILE_LEVELS = {"arrival_hour": tuple(range(24)), "arrival_weekday": WEEKDAYS}


def ae_waits(ae: pd.DataFrame) -> pd.DataFrame:
    """The attendances with their time in the department and waiting-time flags added.

    Adds: `minutes_in_department` = departure - arrival in minutes (missing with
    no departure time); `within_4_hours` (240 minutes or less: exactly 4 hours
    counts as within), `over_8_hours` (more than 480), `over_12_hours` (more than
    720), all False when the departure time is missing; `admitted`
    (discharge_destination "Admitted"); `counted` (a new or unplanned return
    attendance: the attendances PHS counts; planned returns are not);
    `arrival_hour` (0-23) and `arrival_weekday` (Monday ... Sunday, an ordered
    categorical). No row is dropped.
    Source: PHS A&E activity and waiting times (module docstring).
    """
    check_columns(
        ae,
        ["arrival_datetime", "departure_datetime", "attendance_category", "discharge_destination"],
        "ae_waits",
    )
    out = ae.copy()
    arrived = pd.to_datetime(out["arrival_datetime"])
    departed = pd.to_datetime(out["departure_datetime"])
    minutes = (departed - arrived).dt.total_seconds() / 60
    out["minutes_in_department"] = minutes.astype("float64")
    known = minutes.notna().to_numpy()
    values = minutes.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        out["within_4_hours"] = known & (values <= FOUR_HOURS)
        out["over_8_hours"] = known & (values > EIGHT_HOURS)
        out["over_12_hours"] = known & (values > TWELVE_HOURS)
    out["admitted"] = out["discharge_destination"].eq("Admitted").fillna(False).astype(bool)
    counted = out["attendance_category"].isin(COUNTED_CATEGORIES).fillna(False)
    out["counted"] = counted.astype(bool)
    out["arrival_hour"] = arrived.dt.hour.astype("Int64")
    weekday = pd.Categorical.from_codes(
        arrived.dt.day_of_week.fillna(-1).astype(int), categories=list(WEEKDAYS), ordered=True
    )
    out["arrival_weekday"] = weekday
    return out


def _with_waits(ae: pd.DataFrame) -> pd.DataFrame:
    return ae if all(c in ae.columns for c in _WAIT_COLUMNS) else ae_waits(ae)


def percent_within(within: pd.Series, attendances: pd.Series) -> pd.Series:
    """within / attendances x 100, unrounded; missing where there are no attendances.

    PHS publishes the percentage within 4 hours rounded half up to 1 decimal
    place: rates.round_half_up(percent_within(...), 1).
    """
    denominator = pd.to_numeric(attendances).astype(float)
    return pd.to_numeric(within).astype(float) / denominator.where(denominator > 0) * 100


def ae_attendances_monthly(
    ae: pd.DataFrame,
    start: MonthLike,
    end: MonthLike,
    by: str | Sequence[str] = (),
) -> pd.DataFrame:
    """A&E attendances and the 4-hour standard by month of arrival.

    Columns: month, *by, attendances, within_4_hours, percent_within_4_hours.
    attendances = new and unplanned return attendances (planned returns are
    left out); within_4_hours = those of them that left (discharged, admitted or
    transferred) within 240 minutes of arrival, exactly 240 included; an
    attendance with no departure time counts as an attendance but not as within
    4 hours. percent_within_4_hours = within_4_hours / attendances x 100,
    unrounded (missing in a month with no attendances; PHS publishes it rounded
    half up to 1 decimal place). Months from `start` to `end` inclusive,
    zero-filled for every combination of the `by` columns present in `ae` (which
    may be ae_waits' columns, e.g. "admitted").
    Source: PHS A&E activity and waiting times; open data NumberOfAttendancesAll,
    NumberWithin4HoursAll, PercentageWithin4HoursAll (module docstring).
    """
    by = as_columns(by)
    waits = _with_waits(ae)
    check_columns(waits, by, "ae_attendances_monthly")
    months = period_months(start, end)
    arrived = days(waits["arrival_datetime"])
    known = ~np.isnat(arrived)
    month = to_month_number(np.where(known, arrived, np.datetime64("1970-01-01")))
    in_period = known & (month >= months[0]) & (month <= months[-1])
    row = np.flatnonzero(in_period & waits["counted"].to_numpy(dtype=bool))
    values = {
        "attendances": np.ones(len(row), dtype=np.int64),
        "within_4_hours": waits["within_4_hours"].to_numpy(dtype=np.int64)[row],
    }
    out = monthly_totals(waits, row, month[row], values, months, by)
    out["percent_within_4_hours"] = percent_within(out["within_4_hours"], out["attendances"])
    return out


def ae_profile(ae: pd.DataFrame, by: str | Sequence[str]) -> pd.DataFrame:
    """Attendances counted by a column such as hour or day of arrival.

    Columns: *by, attendances, within_4_hours, percent_within_4_hours, with the
    same rules as ae_attendances_monthly (new and unplanned returns only; no
    departure time: not within 4 hours), over the whole of `ae` (select the
    period first). `by` may name ae_waits' columns: arrival_hour (every hour
    0-23 is listed) and arrival_weekday (Monday to Sunday, all listed), or any
    column of `ae` (its values present in `ae`, missing values as a level),
    e.g. ("arrival_weekday", "arrival_hour") for a week's heat map.
    Source: PHS A&E activity and waiting times (module docstring).
    """
    by = as_columns(by)
    if not by:
        raise ValueError("ae_profile: name at least one column to count by (e.g. 'arrival_hour')")
    waits = _with_waits(ae)
    check_columns(waits, by, "ae_profile")
    counted = waits[waits["counted"].to_numpy(dtype=bool)]
    keys = counted[by].astype(object)
    totals = (
        pd.DataFrame(
            {
                **{c: keys[c] for c in by},
                "attendances": np.ones(len(counted), dtype=np.int64),
                "within_4_hours": counted["within_4_hours"].to_numpy(dtype=np.int64),
            }
        )
        .groupby(by, dropna=False, sort=False)
        .sum()
        .reset_index()
    )
    grid = None
    for column in by:
        levels = _PROFILE_LEVELS.get(column)
        if levels is None:
            levels = waits[column].drop_duplicates().sort_values(na_position="last").tolist()
        part = pd.DataFrame({column: pd.Series(list(levels), dtype=object)})
        grid = part if grid is None else grid.merge(part, how="cross")
    out = grid.merge(totals, on=by, how="left")  # in the grid's order
    for name in ("attendances", "within_4_hours"):
        out[name] = out[name].fillna(0).astype(np.int64)
    for column in by:
        out[column] = out[column].astype(waits[column].dtype)
    out["percent_within_4_hours"] = percent_within(out["within_4_hours"], out["attendances"])
    return out
