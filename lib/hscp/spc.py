"""Statistical process control: XmR charts read the Making Data Count way, p and u
charts (with Laney's p' and u'), and runs analysis by the Anhoej rules.

Pure computation: values in, a tidy DataFrame out, no plotting (hscp.charts draws
them: spc_chart, spc_small_multiples, spc_icon_matrix).

Sources (docs/methods.md, "Statistical process control", has the rules in words):
- XmR charts and the special cause rules: NHS England and NHS Improvement, *Making
  Data Count* (2019, 2021) as implemented by the NHS-R Community's NHSRplotthedots
  0.2 (R/ptd_spc_standard.R, R/ptd_calculate_point_type.R,
  R/ptd_calculate_assurance_type.R, R/ptd_add_short_group_warnings.R); moving
  range screening: Nelson (1982), Journal of Quality Technology 14(3).
- p, u, p' and u' charts, runs analysis: qicharts2 (Anhoej; R/helper.functions.R
  qic.p, qic.pp, qic.u, qic.up, runs.analysis); Montgomery, *Introduction to
  Statistical Quality Control*; Laney (2002), Quality Engineering 14(4);
  Anhoej and Olesen (2014), PLoS ONE 9(11): e113825.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

#: 3 sigma from the average moving range: 3 / d2, d2 = 1.128 for ranges of two points.
LIMIT = 2.66
#: 2 sigma: two thirds of the way from the mean to a process limit.
NEAR_LIMIT = 2 * LIMIT / 3
#: Upper range limit for a moving range (D4 for n = 2): larger ranges are screened out.
MR_SCREEN = 3.267
#: d2 for ranges of two points: sigma = average moving range / 1.128.
D2 = 1.128
#: A run of this many points on one side of the mean, or all rising or all falling.
RUN_LENGTH = 7
#: Phases with fewer points than this have trial limits (NHSRplotthedots warns).
SHORT_PHASE = 13

IMPROVEMENT = ("increase", "decrease", "neutral")
POINT_TYPES = (
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
    "common_cause",
)
#: The point type of a month left out of a chart's limits and rules because its data
#: are still incomplete (hospital records arrive on discharge).
PROVISIONAL = "provisional"
ASSURANCE_TYPES = ("consistent_pass", "consistent_fail", "inconsistent")

#: The special cause rules in the order they take precedence for a point's label.
RULES = ("outside limits", "trend", "two of three near a limit", "run on one side")

Improvement = Literal["increase", "decrease", "neutral"]


# --- input handling ------------------------------------------------------------------------


def _as_series(values, what: str) -> pd.Series:
    """Values as a float Series in time order (a date index must be increasing)."""
    series = values.copy() if isinstance(values, pd.Series) else pd.Series(list(values))
    try:
        series = pd.to_numeric(series).astype(float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{what}: values must be numbers ({err})") from err
    dated = isinstance(series.index, pd.DatetimeIndex | pd.PeriodIndex)
    if dated and (not series.index.is_monotonic_increasing or series.index.has_duplicates):
        raise ValueError(
            f"{what}: the date index must be in time order, without repeats "
            f"(sort the values by date first)"
        )
    return series


def _dates(index: pd.Index) -> pd.DatetimeIndex | None:
    if isinstance(index, pd.DatetimeIndex):
        return index
    if isinstance(index, pd.PeriodIndex):
        return index.to_timestamp(how="start")
    return None


def _positions(index: pd.Index, points, what: str) -> list[int]:
    """Positions of `points` (whole numbers, or dates: the first point on or after)."""
    n = len(index)
    if isinstance(points, str | int | np.integer | pd.Timestamp) or not isinstance(
        points, Sequence | np.ndarray | pd.Index | pd.Series
    ):
        points = [points]
    dates = _dates(index)
    found: list[int] = []
    for point in points:
        if isinstance(point, bool):
            raise ValueError(f"{what}: expected positions or dates, not {point!r}")
        if isinstance(point, int | np.integer):
            if not 0 <= point < n:
                raise ValueError(
                    f"{what}: position {point} is outside the {n} values (0 to {n - 1})"
                )
            found.append(int(point))
            continue
        if dates is None:
            raise ValueError(
                f"{what}: {point!r} is a date, but the values have no date index "
                f"(give positions, or a Series indexed by date)"
            )
        try:
            when = pd.Timestamp(point)
        except (TypeError, ValueError) as err:
            raise ValueError(f"{what}: {point!r} is not a date or a position") from err
        if not n or when > dates[-1]:
            last = f" ({dates[-1]:%d %b %Y})" if n else ""
            raise ValueError(f"{what}: {when:%d %b %Y} is after the last value{last}")
        if when < dates[0]:
            raise ValueError(
                f"{what}: {when:%d %b %Y} is before the first value ({dates[0]:%d %b %Y})"
            )
        found.append(int(np.flatnonzero(dates >= when)[0]))
    return found


def _phases(index: pd.Index, rebase, what: str) -> np.ndarray:
    """Phase number (0, 1, ...) of each point: a new phase starts at each rebase point.

    `rebase` holds positions (whole numbers) or dates; a date starts the new phase
    at the first point on or after it.
    """
    phase = np.zeros(len(index), dtype=np.int64)
    if rebase is None:
        return phase
    for start in sorted(set(_positions(index, rebase, f"{what}: rebase")) - {0}):
        phase[start:] += 1
    return phase


def _check_baseline(baseline, what: str) -> int | None:
    if baseline is None:
        return None
    if isinstance(baseline, bool) or not isinstance(baseline, int | np.integer) or baseline < 2:
        raise ValueError(f"{what}: baseline must be a whole number of points, 2 or more, or None")
    return int(baseline)


def _segments(phase: np.ndarray) -> list[slice]:
    """The slice of each phase (phases are consecutive)."""
    bounds = np.flatnonzero(np.diff(phase)) + 1
    edges = [0, *bounds.tolist(), len(phase)]
    return [slice(a, b) for a, b in zip(edges[:-1], edges[1:], strict=True) if b > a]


# --- XmR limits ------------------------------------------------------------------------


def _xmr_limits(y: np.ndarray, baseline: int | None, screen: bool) -> tuple[float, float]:
    """Mean and average moving range of one phase, from its first `baseline` points.

    Moving ranges are |y[i] - y[i-1]| over the baseline points (a range next to a
    missing value is missing). With screening, ranges of 3.267 x the average or
    more are dropped and the average recomputed once; the mean is not changed.
    """
    base = y if baseline is None else y[:baseline]
    known = base[~np.isnan(base)]
    if not len(known):
        return np.nan, np.nan
    mean = float(known.mean())
    ranges = np.abs(np.diff(base))
    ranges = ranges[~np.isnan(ranges)]
    if not len(ranges):
        return mean, np.nan
    amr = float(ranges.mean())
    if screen:
        kept = ranges[ranges < MR_SCREEN * amr]
        amr = float(kept.mean()) if len(kept) else np.nan
    return mean, amr


# --- the special cause rules, each on one phase ----------------------------------------------


def _ends_run(flags: np.ndarray, length: int) -> np.ndarray:
    """True at i when flags[i - length + 1 .. i] are all True."""
    out = np.zeros(len(flags), dtype=bool)
    if len(flags) >= length:
        windows = np.lib.stride_tricks.sliding_window_view(flags, length)
        out[length - 1 :] = windows.all(axis=1)
    return out


def _in_run(ends: np.ndarray, length: int) -> np.ndarray:
    """True at i when a run of `length` ending at any of i .. i + length - 1 covers i."""
    padded = np.concatenate([ends, np.zeros(length - 1, dtype=bool)])
    return np.lib.stride_tricks.sliding_window_view(padded, length).any(axis=1)


def rule_outside_limits(y: np.ndarray, lpl: np.ndarray, upl: np.ndarray) -> np.ndarray:
    """Direction (+1 above, -1 below, 0 not) of points strictly outside the process limits."""
    with np.errstate(invalid="ignore"):
        return np.where(y > upl, 1, np.where(y < lpl, -1, 0))


def rule_trend(y: np.ndarray, length: int = RUN_LENGTH) -> np.ndarray:
    """Direction of the trend each point belongs to (+1 rising, -1 falling, 0 none).

    A trend is `length` points each higher (or each lower) than the one before:
    length - 1 strict steps, so a tie breaks it (as does a missing value). Every
    point of the trend is flagged. A point at the turn of a rising and a falling
    trend takes the direction of its step to the next point (as NHSRplotthedots).
    """
    n = len(y)
    if n < length:
        return np.zeros(n, dtype=np.int64)
    with np.errstate(invalid="ignore"):
        step = np.sign(np.diff(y))  # step[i - 1] is the step from y[i - 1] to y[i]
    rise = np.concatenate([[False], step > 0])
    fall = np.concatenate([[False], step < 0])
    in_rise = _in_run(_ends_run(rise, length - 1), length)
    in_fall = _in_run(_ends_run(fall, length - 1), length)
    member = in_rise | in_fall
    left = np.concatenate([[0.0], step])  # step into the point
    right = np.concatenate([step, [0.0]])  # step out of the point
    next_member = np.concatenate([member[1:], [False]])
    direction = np.where(next_member & (right != 0), right, left)
    return np.where(member, np.nan_to_num(direction), 0).astype(np.int64)


def rule_two_of_three(close: np.ndarray, side: np.ndarray) -> np.ndarray:
    """Direction of points in 2 of 3 consecutive points beyond 2 sigma on one side.

    A window of 3 consecutive points counts when at least 2 of them are near a
    limit (beyond 2 sigma but inside the limits) and all 3 are on the same side of
    the mean; the near-limit points of such a window are flagged (the third is
    not). Near-limit points on opposite sides of the mean never count together.
    """
    n = len(close)
    out = np.zeros(n, dtype=np.int64)
    if n < 3:
        return out
    near = np.lib.stride_tricks.sliding_window_view(close, 3).sum(axis=1) >= 2
    same_side = np.abs(np.lib.stride_tricks.sliding_window_view(side, 3).sum(axis=1)) == 3
    hit = np.concatenate([near & same_side, [False, False]])
    # point i is in windows starting at i - 2, i - 1 and i
    covered = hit.copy()
    covered[1:] |= hit[:-1]
    covered[2:] |= hit[:-2]
    return np.where(covered & close, side, 0).astype(np.int64)


def rule_run_one_side(side: np.ndarray, length: int = RUN_LENGTH) -> np.ndarray:
    """Direction of runs of `length` points on one side of the mean (+1 above, -1 below).

    A point on the mean (or a missing one) breaks the run. Every point of the run
    is flagged.
    """
    above = _in_run(_ends_run(side > 0, length), length)
    below = _in_run(_ends_run(side < 0, length), length)
    return np.where(above, 1, np.where(below, -1, 0)).astype(np.int64)


def _special_cause(y, mean, lpl, upl, nlpl, nupl) -> tuple[np.ndarray, np.ndarray]:
    """(rule name or '', direction) of each point of one phase, rules in precedence."""
    with np.errstate(invalid="ignore"):
        side = np.nan_to_num(np.sign(y - mean)).astype(np.int64)
        outside = rule_outside_limits(y, lpl, upl)
        close = (outside == 0) & ((y < nlpl) | (y > nupl))
    checks = (
        outside,
        rule_trend(y),
        rule_two_of_three(close, side),
        rule_run_one_side(side),
    )
    rule = np.full(len(y), "", dtype=object)
    direction = np.zeros(len(y), dtype=np.int64)
    for name, flags in zip(RULES, checks, strict=True):
        new = (flags != 0) & (direction == 0)
        rule[new] = name
        direction[new] = flags[new]
    return rule, direction


def point_type(direction: np.ndarray | int, improvement: Improvement) -> np.ndarray:
    """Making Data Count point type from a special cause direction (0 = common cause)."""
    direction = np.asarray(direction)
    if improvement == "neutral":
        return np.select(
            [direction > 0, direction < 0],
            ["special_cause_neutral_high", "special_cause_neutral_low"],
            "common_cause",
        ).astype(object)
    oriented = direction * (1 if improvement == "increase" else -1)
    return np.select(
        [oriented > 0, oriented < 0],
        ["special_cause_improvement", "special_cause_concern"],
        "common_cause",
    ).astype(object)


def _check_improvement(improvement, what: str) -> None:
    if improvement not in IMPROVEMENT:
        raise ValueError(
            f"{what}: improvement must be one of {', '.join(IMPROVEMENT)}, not {improvement!r}"
        )


def xmr(
    values,
    *,
    baseline: int | None = None,
    rebase=None,
    improvement: Improvement = "increase",
    target: float | None = None,
    screen_outliers: bool = True,
) -> pd.DataFrame:
    """An XmR (individuals) chart with the Making Data Count special cause rules.

    `values` in time order: a Series (a date index lets `rebase` take dates) or a
    list. Each phase (a new one starts at each `rebase` position or date) has its
    own mean (of its first `baseline` points, all when None), average moving range
    (over the same points, screened: ranges of 3.267 x the average or more dropped
    and the average recomputed once) and process limits mean -/+ 2.66 x average
    moving range. The rules, in this precedence, within a phase: a point outside
    the limits; a trend of 7 points all rising or all falling (a tie breaks it); 2
    of 3 points beyond 2 sigma on the same side of the mean; a run of 7 points on
    one side of the mean (a point on the mean breaks it). Every point of a trend
    or run is flagged. A missing value is not flagged and breaks runs and trends.

    Returns a DataFrame aligned to `values` (same index): value, phase, mean, lpl,
    upl, lower_2sigma, upper_2sigma, rule (the rule that flagged the point, or
    ''), point_type (POINT_TYPES, by `improvement`; missing for a missing value),
    target, short_phase (the phase has fewer than 13 points: trial limits).
    `summary(chart)` gives the variation and assurance icons.
    Source: NHSRplotthedots 0.2 (module docstring).
    """
    what = "xmr"
    _check_improvement(improvement, what)
    fixed = _check_baseline(baseline, what)
    series = _as_series(values, what)
    if target is not None and not np.isfinite(target):
        raise ValueError(f"{what}: target must be a number or None, not {target!r}")
    y = series.to_numpy(dtype=float)
    phase = _phases(series.index, rebase, what)
    n = len(y)
    mean = np.full(n, np.nan)
    amr = np.full(n, np.nan)
    for part in _segments(phase):
        mean[part], amr[part] = _xmr_limits(y[part], fixed, screen_outliers)
    lpl, upl = mean - LIMIT * amr, mean + LIMIT * amr
    nlpl, nupl = mean - NEAR_LIMIT * amr, mean + NEAR_LIMIT * amr
    rule = np.full(n, "", dtype=object)
    direction = np.zeros(n, dtype=np.int64)
    for part in _segments(phase):
        rule[part], direction[part] = _special_cause(
            y[part], mean[part], lpl[part], upl[part], nlpl[part], nupl[part]
        )
    types = point_type(direction, improvement)
    types[np.isnan(y)] = None
    sizes = np.bincount(phase) if n else np.array([], dtype=np.int64)
    chart = pd.DataFrame(
        {
            "value": y,
            "phase": phase,
            "mean": mean,
            "lpl": lpl,
            "upl": upl,
            "lower_2sigma": nlpl,
            "upper_2sigma": nupl,
            "rule": rule,
            "point_type": types,
            "target": np.nan if target is None else float(target),
            "short_phase": sizes[phase] < SHORT_PHASE if n else np.array([], dtype=bool),
        },
        index=series.index,
    )
    chart.attrs["spc"] = {"chart": "xmr", "improvement": improvement, "target": target}
    return chart


# --- the summary of a chart: variation and assurance -------------------------------------


def assurance(lpl: float, upl: float, target: float | None, improvement: Improvement) -> str | None:
    """Can the process be relied on to meet the target? (Making Data Count assurance)

    The target beyond the process limits on the good side: every point can be
    expected to pass ('consistent_pass'); on the bad side: to fail
    ('consistent_fail'); between the limits: 'inconsistent' (it will sometimes
    pass and sometimes fail). None without a target, or for a neutral measure.
    Source: NHSRplotthedots R/ptd_calculate_assurance_type.R.
    """
    _check_improvement(improvement, "assurance")
    if target is None or pd.isna(target) or improvement == "neutral":
        return None
    if pd.isna(lpl) or pd.isna(upl):
        return None
    increasing = improvement == "increase"
    if target > upl:
        return "consistent_fail" if increasing else "consistent_pass"
    if target < lpl:
        return "consistent_pass" if increasing else "consistent_fail"
    return "inconsistent"


VARIATION_TEXT = {
    "common_cause": "Common cause variation: no significant change",
    "special_cause_improvement": "Special cause variation: improvement",
    "special_cause_concern": "Special cause variation: concern",
    "special_cause_neutral_high": "Special cause variation: higher (neither good nor bad)",
    "special_cause_neutral_low": "Special cause variation: lower (neither good nor bad)",
}
ASSURANCE_TEXT = {
    "consistent_pass": "Will consistently meet the target",
    "consistent_fail": "Will consistently miss the target",
    "inconsistent": "Will sometimes meet and sometimes miss the target",
    None: "No target",
}


def variation_icon(point_type_: str | None, improvement: Improvement) -> str | None:
    """The Making Data Count variation icon of a point type: common_cause,
    improvement_high/low, concern_high/low or neutral_high/low. The letter (high or
    low) of an improvement or concern follows the measure's improvement direction."""
    if point_type_ is None or (not isinstance(point_type_, str) and pd.isna(point_type_)):
        return None
    if point_type_ == "common_cause":
        return "common_cause"
    if point_type_.startswith("special_cause_neutral_"):
        return point_type_.removeprefix("special_cause_")
    good_high = improvement != "decrease"
    if point_type_ == "special_cause_improvement":
        return "improvement_high" if good_high else "improvement_low"
    if point_type_ == "special_cause_concern":
        return "concern_low" if good_high else "concern_high"
    raise ValueError(f"unknown point type {point_type_!r}; expected one of {POINT_TYPES}")


def assurance_icon(assurance_type: str | None) -> str | None:
    """The Making Data Count assurance icon of an assurance type: pass, fail, inconsistent."""
    return {
        "consistent_pass": "pass",
        "consistent_fail": "fail",
        "inconsistent": "inconsistent",
    }.get(
        assurance_type  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class ChartSummary:
    """What a Making Data Count summary says about one chart (its latest phase)."""

    improvement: str
    variation: str | None  # the point type of the last point
    assurance: str | None  # consistent_pass / consistent_fail / inconsistent / None
    mean: float
    lpl: float
    upl: float
    target: float | None
    n_points: int  # in the latest phase
    n_phases: int
    improvement_points: int  # in the latest phase
    concern_points: int
    warnings: tuple[str, ...] = ()

    @property
    def variation_icon(self) -> str | None:
        return variation_icon(self.variation, self.improvement)  # type: ignore[arg-type]

    @property
    def assurance_icon(self) -> str | None:
        return assurance_icon(self.assurance)

    @property
    def variation_text(self) -> str:
        return VARIATION_TEXT.get(self.variation, "No data") if self.variation else "No data"

    @property
    def assurance_text(self) -> str:
        return ASSURANCE_TEXT[self.assurance]


def summary(chart: pd.DataFrame, *, improvement: Improvement | None = None) -> ChartSummary:
    """The variation icon (the last point's type), the assurance icon (target against
    the latest phase's limits) and warnings about short phases, of an `xmr` chart.
    `improvement` defaults to the one the chart was made with."""
    options = chart.attrs.get("spc", {})
    improvement = improvement or options.get("improvement")
    if improvement is None:
        raise ValueError("summary: give improvement= (the chart carries no options)")
    _check_improvement(improvement, "summary")
    known = chart[chart["value"].notna()]
    if known.empty:
        raise ValueError("summary: the chart has no values")
    last = known.iloc[-1]
    latest = chart[chart["phase"] == last["phase"]]
    target = options.get("target")
    if target is None and "target" in chart and chart["target"].notna().any():
        target = float(chart["target"].dropna().iloc[-1])
    warnings = []
    for number, part in chart.groupby("phase", sort=True):
        if len(part) < SHORT_PHASE:
            start = part.index[0]
            when = f" (from {start:%b %Y})" if isinstance(start, pd.Timestamp) else ""
            warnings.append(
                f"Phase {number + 1}{when} has {len(part)} points, fewer than {SHORT_PHASE}: "
                "its limits are trial limits, to be revised as more data come in."
            )
    return ChartSummary(
        improvement=improvement,
        variation=last["point_type"],
        assurance=assurance(last["lpl"], last["upl"], target, improvement),
        mean=float(last["mean"]),
        lpl=float(last["lpl"]),
        upl=float(last["upl"]),
        target=target,
        n_points=len(latest),
        n_phases=int(chart["phase"].nunique()),
        improvement_points=int((latest["point_type"] == "special_cause_improvement").sum()),
        concern_points=int((latest["point_type"] == "special_cause_concern").sum()),
        warnings=tuple(warnings),
    )


# --- the impact of a test of change ----------------------------------------------------


@dataclass(frozen=True)
class Impact:
    """The points after a change judged against the limits of the points before it."""

    n_before: int
    n_after: int
    before_mean: float
    after_mean: float
    improvement_points: int  # after the change, by the rules on the limits before it
    concern_points: int
    high_points: int  # special cause above the old mean (neutral measures)
    low_points: int
    first_signal: object  # index label of the first special cause point after the change
    rules: tuple[str, ...]  # the rules that flagged points after the change
    verdict: str  # improvement, concern, mixed, higher, lower or no signal

    @property
    def change(self) -> float:
        """Relative change of the mean: after / before - 1 (missing if before is 0)."""
        if not self.before_mean:
            return np.nan
        return self.after_mean / self.before_mean - 1


def impact(
    values,
    change,
    *,
    improvement: Improvement = "increase",
    start=None,
    end=None,
    screen_outliers: bool = True,
) -> Impact:
    """Did a test of change move the measure? (Making Data Count: fix the limits on
    the baseline, extend them, and look for special cause after the change.)

    The points from `start` (default the first) up to the one before `change` are
    the baseline: their mean and limits (xmr with baseline = their number) are
    extended over the points from `change` up to the one before `end` (default:
    to the last), and the special cause rules are applied to the whole. The
    verdict: 'improvement' (only improvement points after the change), 'concern'
    (only concern), 'mixed', 'higher' / 'lower' for a neutral measure, or 'no
    signal'. `change`, `start` and `end` are positions or dates, as `xmr`'s rebase.
    """
    what = "impact"
    _check_improvement(improvement, what)
    series = _as_series(values, what)
    first = 0 if start is None else _positions(series.index, start, f"{what}: start")[0]
    at = _positions(series.index, change, f"{what}: change")[0]
    stop = len(series) if end is None else _positions(series.index, end, f"{what}: end")[0]
    if not first + 2 <= at < stop:
        raise ValueError(
            f"{what}: needs at least 2 points before the change and 1 from it "
            f"(start {first}, change {at}, end {stop})"
        )
    window = series.iloc[first:stop]
    chart = xmr(
        window,
        baseline=at - first,
        improvement=improvement,
        screen_outliers=screen_outliers,
    )
    after = chart.iloc[at - first :]
    kinds = after["point_type"]
    flagged = after[kinds.notna() & (kinds != "common_cause")]
    counts = {k: int((kinds == k).sum()) for k in POINT_TYPES}
    better, worse = counts["special_cause_improvement"], counts["special_cause_concern"]
    high, low = counts["special_cause_neutral_high"], counts["special_cause_neutral_low"]
    if better and worse or high and low:
        verdict = "mixed"
    elif better or worse or high or low:
        verdict = "improvement" if better else "concern" if worse else "higher" if high else "lower"
    else:
        verdict = "no signal"
    return Impact(
        n_before=at - first,
        n_after=len(after),
        before_mean=float(chart["mean"].iloc[0]),
        after_mean=float(after["value"].mean()),
        improvement_points=better,
        concern_points=worse,
        high_points=high,
        low_points=low,
        first_signal=flagged.index[0] if len(flagged) else None,
        rules=tuple(r for r in RULES if (flagged["rule"] == r).any()),
        verdict=verdict,
    )


# --- p and u charts ----------------------------------------------------------------------


def _attribute_chart(counts, sizes, kind: str, laney: bool, baseline, rebase) -> pd.DataFrame:
    what = f"{kind}chart"
    fixed = _check_baseline(baseline, what)
    count = _as_series(counts, what)
    size = _as_series(sizes, what)
    if len(count) != len(size):
        raise ValueError(f"{what}: {len(count)} counts but {len(size)} sizes")
    c, n = count.to_numpy(dtype=float), size.to_numpy(dtype=float)
    if (c < 0).any() or (n < 0).any():
        raise ValueError(f"{what}: counts and sizes must not be negative")
    if kind == "p" and (c > n).any():
        bad = int(np.flatnonzero(c > n)[0])
        raise ValueError(
            f"{what}: count {c[bad]:g} is more than its size {n[bad]:g} at position {bad} "
            "(a proportion cannot exceed 1)"
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(n > 0, c / n, np.nan)
    phase = _phases(count.index, rebase, what)
    centre = np.full(len(c), np.nan)
    sigma = np.full(len(c), np.nan)
    sigma_z = np.ones(len(c))
    runs = np.zeros(len(c), dtype=bool)
    for part in _segments(phase):
        cp, np_, vp = c[part], n[part], value[part]
        base = slice(None) if fixed is None else slice(0, fixed)
        usable = np.isfinite(vp[base])
        total = np_[base][usable].sum()
        cl = cp[base][usable].sum() / total if total > 0 else np.nan
        with np.errstate(invalid="ignore", divide="ignore"):
            sd = np.sqrt(cl * (1 - cl) / np_) if kind == "p" else np.sqrt(cl / np_)
            sd = np.where(np_ > 0, sd, np.nan)
        if laney:
            with np.errstate(invalid="ignore", divide="ignore"):
                z = (vp[base] - cl) / sd[base]
            ranges = np.abs(np.diff(z))
            ranges = ranges[np.isfinite(ranges)]
            sigma_z[part] = ranges.mean() / D2 if len(ranges) else np.nan
        centre[part] = cl
        sigma[part] = sd * sigma_z[part]
        runs[part] = runs_analysis(vp, centre=np.full(len(vp), cl)).signal
    lcl, ucl = centre - 3 * sigma, centre + 3 * sigma
    lcl = np.where(np.isnan(lcl), np.nan, np.maximum(lcl, 0))
    if kind == "p":
        ucl = np.where(np.isnan(ucl), np.nan, np.minimum(ucl, 1))
    with np.errstate(invalid="ignore"):
        signal = (value > ucl) | (value < lcl)
    chart = pd.DataFrame(
        {
            "count": c,
            "size": n,
            "value": value,
            "phase": phase,
            "centre": centre,
            "lcl": lcl,
            "ucl": ucl,
            "sigma_z": sigma_z,
            "signal": signal,
            "runs_signal": runs,
        },
        index=count.index,
    )
    chart.attrs["spc"] = {"chart": f"{kind}'" if laney else kind}
    return chart


def pchart(counts, sizes, *, laney: bool = False, baseline=None, rebase=None) -> pd.DataFrame:
    """A p chart (proportion = counts / sizes), or Laney's p' chart with `laney`.

    Per phase (as `xmr`'s rebase): centre = total counts / total sizes over the
    first `baseline` points; sigma_i = sqrt(centre (1 - centre) / size_i); limits
    centre -/+ 3 sigma_i, clipped to [0, 1]. Laney's p' multiplies sigma_i by
    sigma_z = average moving range of the z-scores (value - centre) / sigma_i over
    the baseline points / 1.128, allowing for between-month variation that large
    denominators make visible. Columns: count, size, value, phase, centre, lcl,
    ucl, sigma_z, signal (outside the limits), runs_signal (Anhoej rules about
    the centre line, per phase). Source: qicharts2 qic.p, qic.pp; Laney (2002).
    """
    return _attribute_chart(counts, sizes, "p", laney, baseline, rebase)


def uchart(counts, exposures, *, laney: bool = False, baseline=None, rebase=None) -> pd.DataFrame:
    """A u chart (rate = counts / exposures), or Laney's u' chart with `laney`.

    As `pchart`, with sigma_i = sqrt(centre / exposure_i) and the lower limit
    floored at 0 (no upper bound). Source: qicharts2 qic.u, qic.up; Montgomery.
    """
    return _attribute_chart(counts, exposures, "u", laney, baseline, rebase)


# --- runs analysis -------------------------------------------------------------------------


@dataclass(frozen=True)
class RunsAnalysis:
    """Anhoej rules for a run chart (qicharts2 runs.analysis)."""

    n_obs: int
    n_useful: int  # points not on the centre line
    longest_run: int | None
    longest_run_max: int | None  # round(log2(n_useful)) + 3
    n_crossings: int | None
    n_crossings_min: int | None  # 5th percentile of Binomial(n_useful - 1, 0.5)
    signal: bool

    @property
    def long_run(self) -> bool:
        return self.longest_run is not None and self.longest_run > self.longest_run_max

    @property
    def few_crossings(self) -> bool:
        return self.n_crossings is not None and self.n_crossings < self.n_crossings_min


def crossings_min(n_useful: int) -> int:
    """Fewest crossings expected of n useful observations: the 5th percentile of
    Binomial(n - 1, 0.5) (R's qbinom(0.05, n - 1, 0.5): the smallest k with
    P(X <= k) >= 0.05)."""
    return int(stats.binom.ppf(0.05, max(n_useful - 1, 0), 0.5))


def longest_run_max(n_useful: int) -> int:
    """Longest run expected of n useful observations: round(log2(n)) + 3 (Schilling)."""
    return int(round(np.log2(n_useful))) + 3


def runs_analysis(values, centre=None) -> RunsAnalysis:
    """Anhoej rules: unusually long runs or unusually few crossings of the centre line.

    The centre line is `centre` (a number, or one per point) or the median of the
    values. Useful observations are the points not on the centre line (missing
    values are left out). A run is a sequence of useful points on the same side;
    crossings = runs - 1. Signal when the longest run > round(log2(n)) + 3 or the
    crossings < the 5th percentile of Binomial(n - 1, 0.5), n = useful points.
    Source: qicharts2 runs.analysis; Anhoej and Olesen (2014).
    """
    y = _as_series(values, "runs_analysis").to_numpy(dtype=float)
    cl = np.nanmedian(y) if centre is None else np.broadcast_to(np.asarray(centre, float), y.shape)
    with np.errstate(invalid="ignore"):
        side = np.sign(y - cl)
    side = side[(side != 0) & ~np.isnan(side)]
    n_useful = len(side)
    if not n_useful:
        return RunsAnalysis(len(y), 0, None, None, None, None, False)
    change = np.flatnonzero(np.diff(side)) + 1
    lengths = np.diff(np.concatenate([[0], change, [n_useful]]))
    longest, n_cross = int(lengths.max()), len(lengths) - 1
    run_max, cross_min = longest_run_max(n_useful), crossings_min(n_useful)
    return RunsAnalysis(
        n_obs=len(y),
        n_useful=n_useful,
        longest_run=longest,
        longest_run_max=run_max,
        n_crossings=n_cross,
        n_crossings_min=cross_min,
        signal=bool(longest > run_max or n_cross < cross_min),
    )
