"""Beds: average occupied beds, the winter peak, target occupancy and Erlang-B."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hscp.conventions.financial_years import (
    days_in_financial_year,
    financial_year,
    financial_year_label,
)
from hscp.projection._checks import ProjectionError, require


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
    require(monthly, ["month", value], "monthly series")
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
    require(projection, ["year", measure], "projection")
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
