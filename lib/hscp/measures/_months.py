"""Month arithmetic shared by the measures (private).

Months are represented everywhere as a `month` column of Timestamps for the
first day of the month. Inside the measures, dates are handled as whole days
(numpy datetime64[D]) and months as month numbers (datetime64[M]), so that a
table of millions of rows is split into months without a Python loop.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hscp.conventions.months import MonthLike, month_start


def month_number(value: MonthLike) -> int:
    """Months since January 1970 (the numpy datetime64[M] count)."""
    return int(np.datetime64(month_start(value), "M").astype(np.int64))


def period_months(start: MonthLike, end: MonthLike) -> np.ndarray:
    """Month numbers from `start` to `end` inclusive; error if `end` is before `start`."""
    first, last = month_number(start), month_number(end)
    if last < first:
        raise ValueError(
            f"the period ends ({month_start(end):%Y-%m}) before it starts "
            f"({month_start(start):%Y-%m})"
        )
    return np.arange(first, last + 1, dtype=np.int64)


def days(series: pd.Series) -> np.ndarray:
    """Dates as whole days (datetime64[D]); missing dates stay NaT."""
    return pd.to_datetime(series).to_numpy(dtype="datetime64[D]")


def to_month_number(day_values: np.ndarray) -> np.ndarray:
    """Month number of each date (datetime64[D] in, int64 out; NaT must be handled first)."""
    return day_values.astype("datetime64[M]").astype(np.int64)


def first_day(month_numbers: np.ndarray) -> np.ndarray:
    """First day (datetime64[D]) of each month number."""
    return month_numbers.astype("datetime64[M]").astype("datetime64[D]")


def last_day(month_numbers: np.ndarray) -> np.ndarray:
    """Last day (datetime64[D]) of each month number."""
    return first_day(month_numbers + 1) - np.timedelta64(1, "D")


def month_timestamps(month_numbers: np.ndarray) -> pd.Series:
    """Month numbers as the project's `month` values: Timestamps of the first day."""
    return pd.Series(first_day(np.asarray(month_numbers)).astype("datetime64[ns]"))


def as_columns(by: str | Sequence[str]) -> list[str]:
    """`by` as a list of column names (a single name may be given as a string)."""
    return [by] if isinstance(by, str) else list(by)


def check_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise a clear error naming any column the measure needs but the frame lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(
            f"{what}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(map(repr, missing))} (the frame has {', '.join(map(str, frame.columns))})"
        )


def expand_by_month(
    begin: np.ndarray, end: np.ndarray, first_month: int, last_month: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split intervals into the months whose days they cover, by midnights.

    An interval from day `begin` to day `end` covers the dates m with
    begin < m <= end (the midnight at the start of date m is counted in m's month).
    Returns (row, month number, bed days) with one element for each row and each
    month of first_month..last_month in which the interval has at least one
    midnight; bed days = min(end, month end) - max(begin, day before month start).
    Rows with end <= begin (a same-day stay) cover no month.
    """
    one = np.timedelta64(1, "D")
    from_month = np.maximum(to_month_number(begin + one), first_month)
    to_month = np.minimum(to_month_number(end), last_month)
    n = np.clip(to_month - from_month + 1, 0, None)
    n[np.isnat(begin) | np.isnat(end) | (end <= begin)] = 0
    row = np.repeat(np.arange(len(begin)), n)
    starts = np.cumsum(n) - n
    month = from_month[row] + (np.arange(len(row)) - starts[row])
    lo = np.maximum(begin[row], first_day(month) - one)
    hi = np.minimum(end[row], last_day(month))
    bed_days = (hi - lo).astype(np.int64)
    return row, month, bed_days


def monthly_totals(
    frame: pd.DataFrame,
    row: np.ndarray,
    month: np.ndarray,
    values: dict[str, np.ndarray],
    months: np.ndarray,
    by: list[str],
) -> pd.DataFrame:
    """Sum `values` by month and `by`, zero-filled over months x the `by` combinations.

    `row` says which row of `frame` each value belongs to (for the `by` columns).
    The `by` combinations are those present anywhere in `frame` (missing values
    are a combination of their own), so that every month of the period has a row
    for each of them.
    """
    long = pd.concat(
        [pd.DataFrame({"_month": month, **values}), frame[by].iloc[row].reset_index(drop=True)],
        axis=1,
    )
    totals = long.groupby(["_month", *by], dropna=False, sort=False, observed=True).sum()
    totals = totals.reset_index()

    grid = pd.DataFrame({"_month": months})
    if by:
        combos = frame[by].drop_duplicates().reset_index(drop=True)
        grid = grid.merge(combos, how="cross")
    out = grid.merge(totals, on=["_month", *by], how="left")
    for name in values:
        out[name] = out[name].fillna(0).astype(np.int64)
    out.insert(0, "month", month_timestamps(out.pop("_month").to_numpy()))
    return out.sort_values(["month", *by], kind="stable", ignore_index=True)
