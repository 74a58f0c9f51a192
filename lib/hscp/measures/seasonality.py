"""The seasonal pattern of a monthly series: which months run high or low.

Classical decomposition by ratio to a centred moving average (as in X-11's
first stage and statsmodels' seasonal_decompose, multiplicative model): the
trend of month t is the centred 12-month moving average (a 2x12 average:
half weight on the months six before and six after, full weight on the eleven
between); the month's seasonal ratio is its value / its trend; a calendar
month's seasonal index is the mean of its ratios over the years, scaled so
that the twelve indices average 1. An index of 1.10 for January means
January runs about 10% above the level of the year around it.

Source: Makridakis, Wheelwright and Hyndman, Forecasting: methods and
applications (3rd ed., 1998), section 3/4 (classical decomposition); Hyndman and
Athanasopoulos, Forecasting: principles and practice (3rd ed.), section 3.4.
"""

from __future__ import annotations

import calendar

import numpy as np
import pandas as pd

from hscp.measures._months import check_columns

#: Months of data needed for a seasonal index: two years give every calendar
#: month one ratio to a centred moving average.
MIN_MONTHS = 24


def seasonal_profile(monthly: pd.DataFrame, value: str, *, per_day: bool = True) -> pd.DataFrame:
    """Average and seasonal index of `value` by calendar month.

    `monthly` has a `month` column (first day of the month; other columns are
    summed over, so a tidy table by reason group gives the total) and `value`.
    With per_day (the default), the value is divided by the days in the month
    first (bed days -> average daily beds), so February is not low just for
    being short. Returns twelve rows, January first: calendar_month (1-12),
    month_name ("Jan"), month_full ("January"), years (how many of that month the data have), total (the
    month's `value` summed over the years, before dividing by days: the count
    behind the row, for disclosure control), average (mean of the month's values
    per day, or as they are without per_day), seasonal_index (ratio to the centred 12-month
    moving average, averaged over years and scaled to mean 1; missing for every
    month when there are fewer than MIN_MONTHS consecutive months).
    """
    check_columns(monthly, ["month", value], "seasonal_profile")
    series = monthly.groupby("month")[value].sum().sort_index().astype(float)
    if series.empty:
        raise ValueError("seasonal_profile: the monthly table is empty")
    full = pd.date_range(series.index.min(), series.index.max(), freq="MS")
    series = series.reindex(full)
    totals = series.groupby(full.month.to_numpy()).sum().reindex(range(1, 13), fill_value=0)
    if per_day:
        series = series / full.days_in_month.to_numpy()
    months = full.month.to_numpy()

    average = series.groupby(months).mean().reindex(range(1, 13))
    years = series.groupby(months).count().reindex(range(1, 13), fill_value=0)
    index = pd.Series(np.nan, index=range(1, 13))
    if series.notna().sum() >= MIN_MONTHS and series.notna().all():
        weights = np.r_[0.5, np.ones(11), 0.5] / 12
        trend = series.rolling(13, center=True).apply(lambda w: float(np.dot(w, weights)), raw=True)
        ratio = (series / trend).to_numpy()
        raw = pd.Series(ratio).groupby(months).mean().reindex(range(1, 13))
        index = raw / raw.mean()
    return pd.DataFrame(
        {
            "calendar_month": range(1, 13),
            "month_name": [calendar.month_abbr[m] for m in range(1, 13)],
            "month_full": [calendar.month_name[m] for m in range(1, 13)],
            "years": years.to_numpy(dtype=np.int64),
            "total": totals.to_numpy(),
            "average": average.to_numpy(),
            "seasonal_index": index.to_numpy(),
        }
    )
