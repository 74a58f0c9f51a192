"""Comparing periods of a monthly series, for key messages."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class PeriodComparison:
    """Totals of the latest `months` months and the same number of months before them."""

    latest: float
    previous: float | None
    latest_start: pd.Timestamp
    latest_end: pd.Timestamp
    months: int

    @property
    def change(self) -> float | None:
        """Relative change from the previous period (None when there is no previous period
        or it was zero)."""
        if self.previous is None or self.previous == 0:
            return None
        return self.latest / self.previous - 1

    @property
    def days(self) -> int:
        """Days in the latest period (for average daily figures)."""
        return (self.latest_end + pd.offsets.MonthEnd(0) - self.latest_start).days + 1

    def covers(self, dates: pd.Series) -> pd.Series:
        """True for each date (or time) within the latest period: from the first day of
        its first month to the last day of its last month, any time of that day; a
        missing date is not covered."""
        when = pd.to_datetime(dates)
        after_end = self.latest_end + pd.offsets.MonthBegin(1)
        return (when >= self.latest_start) & (when < after_end)

    @property
    def label(self) -> str:
        return f"{self.latest_start:%b %Y} to {self.latest_end:%b %Y}"


def compare_periods(
    monthly: pd.DataFrame, value: str, *, end: pd.Timestamp, months: int = 12
) -> PeriodComparison:
    """Sum `value` over the `months` months ending with `end`'s month, and over the
    `months` months before; the previous total is None when the series does not go
    back that far. `monthly` has a `month` column (first day of the month)."""
    totals = monthly.groupby("month")[value].sum()
    last = pd.Timestamp(end).to_period("M").start_time
    latest_months = pd.date_range(end=last, periods=months, freq="MS")
    previous_months = pd.date_range(
        end=latest_months[0] - pd.offsets.MonthBegin(1), periods=months, freq="MS"
    )
    latest = float(totals.reindex(latest_months, fill_value=0).sum())
    have_previous = previous_months[0] >= totals.index.min()
    previous = float(totals.reindex(previous_months, fill_value=0).sum()) if have_previous else None
    return PeriodComparison(latest, previous, latest_months[0], latest_months[-1], months)


def latest_year(population: pd.DataFrame, on_or_before: pd.Timestamp) -> int:
    """The latest population year not after the given date's year (else the earliest)."""
    years = sorted(int(y) for y in population["year"].dropna().unique())
    if not years:
        raise ValueError("the population table is empty")
    usable = [y for y in years if y <= pd.Timestamp(on_or_before).year]
    return usable[-1] if usable else years[0]


def monthly_table(
    tidy: pd.DataFrame, value: str, *, columns: str, order=None, total: str = "Total"
) -> pd.DataFrame:
    """A month x category table of `value` (e.g. bed days by reason group), with a total column."""
    wide = tidy.pivot_table(
        index="month", columns=columns, values=value, aggfunc="sum", observed=True
    )
    if order is not None:
        wide = wide.reindex(columns=[c for c in order if c in wide.columns] or list(wide.columns))
    wide = wide.fillna(0).astype("int64")
    wide[total] = wide.sum(axis=1)
    wide.columns.name = None
    return wide.reset_index()
