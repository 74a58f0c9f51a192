"""Months: the project writes a month as the Timestamp of its first day.

A `month` column everywhere holds first days (2024-03-01 for March 2024); a
period is whole months, from the first day of its first month to the last day
of its last.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from hscp.conventions.financial_years import parse_financial_year

MonthLike = str | date | pd.Timestamp | pd.Period | np.datetime64


def month_start(value: MonthLike) -> pd.Timestamp:
    """The first day of the month `value` falls in ("2024-03", a date, a Period ...)."""
    if isinstance(value, pd.Period):
        value = value.to_timestamp(how="start")
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        raise ValueError(f"not a month: {value!r}")
    return stamp.to_period("M").to_timestamp(how="start")


def month_end(value: MonthLike) -> pd.Timestamp:
    """The last day of the month `value` falls in (a day, at midnight)."""
    return month_start(value) + pd.offsets.MonthEnd(0)


def months_between(start: MonthLike, end: MonthLike) -> pd.DatetimeIndex:
    """The first days of every month from `start`'s to `end`'s, inclusive (empty when
    `end` is in an earlier month)."""
    return pd.date_range(month_start(start), month_start(end), freq="MS")


def complete_months(end: MonthLike, months: int = 12) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The latest `months` whole months up to `end`: (first day, last day). A month that
    `end` does not reach the last day of is not complete."""
    end = pd.Timestamp(end).normalize()
    last = month_start(end)
    if end != month_end(end):
        last -= pd.DateOffset(months=1)
    first = last - pd.DateOffset(months=months - 1)
    return pd.Timestamp(first), month_end(last)


__all__ = ["MonthLike", "complete_months", "month_end", "month_start", "months_between"]


def provisional_from(extract_date: MonthLike, months: int) -> pd.Timestamp:
    """The first provisional month of an extract: the first month that ends after
    `extract_date` less `months` months. Hospital records (SMR01, SMR01E) are submitted
    on discharge, so those months still miss the stays going on. An extract dated 31
    March 2025 with 3 months: January 2025; dated 15 March 2025: December 2024; with 0
    months: April 2025 (none of the extract)."""
    cutoff = pd.Timestamp(extract_date).normalize() - pd.DateOffset(months=int(months))
    first = cutoff.to_period("M")
    if cutoff == first.end_time.normalize():
        first += 1
    return first.to_timestamp()


_MONTH = re.compile(r"^\s*\d{4}-(0?[1-9]|1[0-2])\s*$")  # 2024-11 is a month, 2024-25 a year


def parse_month(text: str | None, *, end: bool = False) -> str | None:
    """A month for --period-start/--period-end: '2024-04', '2024-04-15', 'April 2024',
    or a financial year '2024/25' (April 2024 as a start, March 2025 as an end)."""
    if text in (None, ""):
        return None
    if not _MONTH.match(str(text)):
        try:
            year = parse_financial_year(str(text))
        except ValueError:
            if "/" in str(text):  # written as a financial year: say what is wrong with it
                raise
            year = None
        if year is not None:
            return f"{year.end:%Y-%m}" if end else f"{year.start:%Y-%m}"
    try:
        stamp = pd.Timestamp(str(text).strip())
    except (ValueError, TypeError) as err:
        raise ValueError(
            f"{text!r} is not a month: use 2024-04, April 2024 or a financial year like 2024/25"
        ) from err
    if pd.isna(stamp):
        raise ValueError(f"{text!r} is not a month")
    return f"{stamp:%Y-%m}"
