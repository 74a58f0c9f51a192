"""Difference in differences: a changed area against areas that did not change.

Rule: each month, the gap = the changed area's value - the mean of the comparison
areas' values (counts or rates, as given). The estimate = mean gap from the change on
- mean gap before it: how far the changed area moved beyond what the others did over
the same months (shared shocks, seasons and trends cancel in the gap). Its standard
error treats the months' gaps as independent: sqrt(s_before^2 / n_before + s_after^2 /
n_after), with Welch-Satterthwaite degrees of freedom and the t quantile for the 95%
interval. Parallel trends, the assumption the estimate rests on, is checked on the
months before: the slope of the gap on time (least squares, t interval on n - 2
degrees of freedom); a slope whose interval excludes 0 means the areas were already
moving apart and the estimate is not to be trusted. Autocorrelation in the gaps would
make the interval too narrow (the interrupted time series handles trends in one area).
Sources: Angrist and Pischke, *Mostly Harmless Econometrics* (2009), 5.2; Wing, Simon
and Bello-Gomez, Annu Rev Public Health 2018; 39: 453-469.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from hscp.evaluation.its import EvaluationError


@dataclass(frozen=True)
class DidResult:
    """The difference in differences and the check of parallel trends before the change."""

    estimate: float
    lower: float
    upper: float
    se: float
    df: float
    p_value: float
    treated_before: float  # mean of the changed area before the change
    treated_after: float
    control_before: float  # mean of the comparison areas' monthly mean
    control_after: float
    gap_before: float
    gap_after: float
    pre_trend_slope: float  # change in the gap a month, before the change
    pre_trend_lower: float
    pre_trend_upper: float
    n_before: int
    n_after: int
    controls: tuple[str, ...]
    gaps: pd.DataFrame = field(repr=False)  # month, treated, control, gap, period

    @property
    def parallel_trends(self) -> bool:
        """True when the gap's slope before the change is not distinguishable from 0."""
        return bool(self.pre_trend_lower <= 0 <= self.pre_trend_upper)


def _welch(before: np.ndarray, after: np.ndarray) -> tuple[float, float]:
    vb, va = before.var(ddof=1) / len(before), after.var(ddof=1) / len(after)
    se = float(np.sqrt(vb + va))
    if se == 0:
        return 0.0, np.inf
    denominator = vb**2 / (len(before) - 1) + va**2 / (len(after) - 1)
    return se, float((vb + va) ** 2 / denominator)


def _slope(y: np.ndarray) -> tuple[float, float, float]:
    x = np.arange(len(y), dtype=float)
    fit = stats.linregress(x, y)
    t = stats.t.ppf(0.975, len(y) - 2)
    return float(fit.slope), float(fit.slope - t * fit.stderr), float(fit.slope + t * fit.stderr)


def difference_in_differences(
    data: pd.DataFrame,
    outcome: str,
    *,
    area: str,
    month: str,
    treated: str,
    change,
    controls: Sequence[str] | None = None,
) -> DidResult:
    """The changed area `treated` against `controls` (default: every other area in the
    data), from the month `change` on (module docstring). `data`: one row per area and
    month with the `outcome` (a count or a rate). Every area needs every month; at least
    3 months before and 2 from the change."""
    for column in (outcome, area, month):
        if column not in data.columns:
            raise EvaluationError(f"difference in differences: no column {column!r}")
    wide = data.pivot_table(index=month, columns=area, values=outcome, aggfunc="sum")
    if treated not in wide.columns:
        raise EvaluationError(f"difference in differences: no area {treated!r} in column {area!r}")
    others = [a for a in wide.columns if a != treated] if controls is None else list(controls)
    unknown = [a for a in others if a not in wide.columns]
    if unknown or not others:
        raise EvaluationError(
            f"difference in differences: comparison areas {unknown or 'none'} not in the data"
        )
    wide = wide[[treated, *others]]
    if wide.isna().any().any():
        raise EvaluationError("difference in differences: every area needs a value every month")
    gaps = pd.DataFrame({"treated": wide[treated], "control": wide[others].mean(axis=1)})
    gaps["gap"] = gaps["treated"] - gaps["control"]
    after = gaps.index >= pd.Timestamp(change) if _is_dates(gaps.index) else gaps.index >= change
    gaps["period"] = np.where(after, "after", "before")
    before_gap, after_gap = gaps.loc[~after, "gap"].to_numpy(), gaps.loc[after, "gap"].to_numpy()
    if len(before_gap) < 3 or len(after_gap) < 2:
        raise EvaluationError(
            f"difference in differences: needs 3 months before the change and 2 from it "
            f"({len(before_gap)} and {len(after_gap)})"
        )
    estimate = float(after_gap.mean() - before_gap.mean())
    se, df = _welch(before_gap, after_gap)
    t = stats.t.ppf(0.975, df) if np.isfinite(df) else stats.norm.ppf(0.975)
    p = float(2 * stats.t.sf(abs(estimate) / se, df)) if se > 0 else (0.0 if estimate else 1.0)
    slope, low, high = _slope(before_gap)
    g = gaps.groupby("period")[["treated", "control"]].mean()
    return DidResult(
        estimate=estimate,
        lower=estimate - t * se,
        upper=estimate + t * se,
        se=se,
        df=df,
        p_value=p,
        treated_before=float(g.loc["before", "treated"]),
        treated_after=float(g.loc["after", "treated"]),
        control_before=float(g.loc["before", "control"]),
        control_after=float(g.loc["after", "control"]),
        gap_before=float(before_gap.mean()),
        gap_after=float(after_gap.mean()),
        pre_trend_slope=slope,
        pre_trend_lower=low,
        pre_trend_upper=high,
        n_before=len(before_gap),
        n_after=len(after_gap),
        controls=tuple(map(str, others)),
        gaps=gaps.rename_axis("month").reset_index(),
    )


def _is_dates(index: pd.Index) -> bool:
    return pd.api.types.is_datetime64_any_dtype(index)
