"""Control charts of a change: rebased at the implementation date, the impact judged
against the limits before it (Making Data Count, hscp.spc), and the PDSA record of the
cycles of change, each with the chart of the measure it watched.

`measures` frames are tidy: area, measure, month, value (as hscp.performance's
monthly_measures, or a whole-system indicator in the same shape).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from hscp import spc
from hscp.evaluation.its import EvaluationError

if TYPE_CHECKING:
    from hscp.appraisal.settings import PdsaCycle

MEASURE_COLUMNS = ("area", "measure", "month", "value")


def measure_series(measures: pd.DataFrame, measure: str, area: str) -> pd.Series:
    """One measure of one area by month (a Series indexed by month, in order)."""
    missing = [c for c in MEASURE_COLUMNS if c not in measures.columns]
    if missing:
        raise EvaluationError(f"measures: missing columns {missing} (need {list(MEASURE_COLUMNS)})")
    rows = measures[(measures["measure"] == measure) & (measures["area"] == area)]
    if rows.empty:
        raise EvaluationError(f"measures: no {measure!r} for {area!r}")
    if rows["month"].duplicated().any():
        raise EvaluationError(f"measures: {measure!r} for {area!r} has a month twice")
    series = rows.set_index(pd.to_datetime(rows["month"]))["value"].sort_index().astype(float)
    series.index.name = "month"
    return series


def rebased_chart(
    series: pd.Series, change, *, improvement: str = "decrease", target=None
) -> pd.DataFrame:
    """The XmR chart with a new phase from the month of the change (spc.xmr, rebase)."""
    return spc.xmr(series, rebase=[pd.Timestamp(change)], improvement=improvement, target=target)


def before_after(series: pd.Series, change, *, improvement: str = "decrease") -> spc.Impact:
    """The months from the change against the mean and limits of the months before it
    (spc.impact): the verdict, the level change and the first special cause."""
    return spc.impact(series, pd.Timestamp(change), improvement=improvement)


def pdsa_table(cycles: Sequence[PdsaCycle]) -> pd.DataFrame:
    """The PDSA cycles as a table: cycle, start, end, locality, tried, measure, learning."""
    return pd.DataFrame(
        [
            {
                "cycle": c.cycle,
                "start": c.start,
                "end": c.end,
                "locality": c.locality,
                "tried": c.tried,
                "measure": c.measure,
                "learning": c.learning,
            }
            for c in cycles
        ],
        columns=["cycle", "start", "end", "locality", "tried", "measure", "learning"],
    )


def pdsa_record(
    cycles: Sequence[PdsaCycle],
    measures: pd.DataFrame,
    partnership: str,
    *,
    baseline_months: int = 12,
    improvement: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Each PDSA cycle with the chart of the measure it watched, as data for run and
    control charts.

    For a cycle: its area (its locality, or the partnership), its measure's months from
    `baseline_months` before its start to its end (or the last month), an XmR chart
    with a new phase from its start. Tidy: cycle, area, measure, month, value, in_cycle,
    and the chart's phase, mean, lpl, upl, rule, point_type. `improvement`: the better
    direction by measure (default decrease). A cycle whose measure has no data is left
    out, with its name in the frame's attrs["missing"].
    """
    parts, missing = [], []
    for c in cycles:
        area = c.locality or partnership
        try:
            series = measure_series(measures, c.measure, area)
        except EvaluationError:
            missing.append(c.cycle)
            continue
        first = c.start - pd.DateOffset(months=baseline_months)
        last = c.end if c.end is not None else series.index.max()
        window = series[(series.index >= first) & (series.index <= last)]
        if (window.index < c.start).sum() < 2 or not (window.index >= c.start).any():
            missing.append(c.cycle)
            continue
        direction = (improvement or {}).get(c.measure, "decrease")
        chart = rebased_chart(window, c.start, improvement=direction)
        part = chart[["value", "phase", "mean", "lpl", "upl", "rule", "point_type"]].reset_index()
        part.insert(0, "measure", c.measure)
        part.insert(0, "area", area)
        part.insert(0, "cycle", c.cycle)
        part["in_cycle"] = part["month"] >= c.start
        parts.append(part)
    columns = [
        "cycle",
        "area",
        "measure",
        "month",
        "value",
        "phase",
        "mean",
        "lpl",
        "upl",
        "rule",
        "point_type",
        "in_cycle",
    ]
    out = pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)
    out.attrs["missing"] = missing
    return out
