"""Phase 4 of redesign, evaluating the change: each test of change in the partnership's
params judged before and after on control charts rebased at its start, by an
interrupted time series (segmented quasi-Poisson regression with a population or
activity offset and seasonality), against the localities that did not change
(difference in differences), the PDSA cycles with the run chart each watched, and the
balancing measures that would show pressure pushed elsewhere.

The monthly measures are the performance report's (the evidence register's
performance_monthly), so the numbers are the control charts' numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hscp import evaluation, performance, text
from hscp.appraisal import AppraisalSettings
from hscp.evidence import Evidence
from hscp.params import TestOfChange
from hscp.workbooks.performance import CHART_SAFE

#: Months of data a seasonal (Fourier) term needs before it is fitted.
SEASONAL_MONTHS = 24


@dataclass(frozen=True)
class Evaluated:
    """One measure of one test of change, evaluated every way."""

    change: TestOfChange
    measure: str
    area: str
    chart: pd.DataFrame  # the rebased XmR chart (spc.xmr columns, month index)
    impact: object  # spc.Impact
    its: evaluation.ItsResult | None
    its_note: str
    did: evaluation.DidResult | None
    did_note: str
    months: pd.DatetimeIndex

    @property
    def label(self) -> str:
        return performance.MEASURES[self.measure].label


def measures(ev: Evidence) -> pd.DataFrame:
    """The performance report's monthly measures of every area (area, measure, month, value
    a day or per cent, numerator, denominator, days)."""
    monthly = ev.table("performance_monthly")
    # Provisional months (hospital records still arriving) are not evidence of a change.
    return monthly[~performance.provisional_rows(monthly)].reset_index(drop=True)


def changes(ev: Evidence) -> list[TestOfChange]:
    """The tests of change of the view: every one for the partnership, a locality's own."""
    tests = performance.tests_of_change(ev.partnership)
    if ev.locality is None:
        return tests
    return [t for t in tests if t.locality == ev.locality]


def _its_frame(monthly: pd.DataFrame, measure: str, area: str) -> tuple[pd.DataFrame, str]:
    """Monthly counts with an offset: the measure's own denominator when it has one (a
    rate of attendances or discharges), else days in the month x the area's population."""
    rows = monthly[(monthly["measure"] == measure) & (monthly["area"] == area)].sort_values("month")
    frame = rows[["month", "numerator", "denominator", "days"]].reset_index(drop=True)
    if frame["denominator"].notna().all() and (frame["denominator"] > 0).all():
        return frame.assign(exposure=frame["denominator"]), "its denominator"
    people = monthly[(monthly["measure"] == "emergency_admission_rate") & (monthly["area"] == area)]
    population = people.set_index("month")["denominator"]
    frame["exposure"] = frame["days"] * frame["month"].map(population)
    return frame, "days in the month x the population"


def interrupted(monthly: pd.DataFrame, measure: str, area: str, start) -> tuple:
    """The interrupted time series of one measure (evaluation.its), or None and why."""
    frame, offset = _its_frame(monthly, measure, area)
    frame = frame.dropna(subset=["numerator", "exposure"])
    frame = frame[frame["exposure"] > 0]
    frame["time"] = np.arange(1, len(frame) + 1)
    frame["after"] = (frame["month"] >= pd.Timestamp(start)).astype(int)
    harmonics = 1 if len(frame) >= SEASONAL_MONTHS else 0
    try:
        result = evaluation.its(frame, "numerator", "time", "after", offset="exposure",
                                harmonics=harmonics)  # fmt: skip
    except (evaluation.EvaluationError, ValueError) as err:
        return None, f"not fitted: {err}"
    season = "one pair of seasonal terms" if harmonics else "no seasonal terms (under 24 months)"
    return result, f"offset: {offset}; {season}; quasi-Poisson"


def compared(monthly: pd.DataFrame, ev: Evidence, test: TestOfChange, measure: str) -> tuple:
    """Difference in differences against the localities with no test of change on the
    measure, or None and why."""
    if test.locality is None:
        return None, "a change of the whole partnership has no locality to compare with"
    changed = {
        t.locality for t in performance.tests_of_change(ev.partnership) if measure in t.measures
    }
    controls = [loc for loc in ev.partnership.localities if loc not in changed]
    if not controls:
        return None, "every locality changed this measure: none to compare with"
    rows = monthly[
        (monthly["measure"] == measure) & monthly["area"].isin([test.locality, *controls])
    ]
    try:
        result = evaluation.difference_in_differences(
            rows, "value", area="area", month="month", treated=test.locality,
            change=test.start, controls=controls,
        )  # fmt: skip
    except evaluation.EvaluationError as err:
        return None, f"not computed: {err}"
    return result, f"against {text.join(controls)}"


def evaluate(ev: Evidence) -> list[Evaluated]:
    """Every measure of every test of change of the view, evaluated."""
    monthly = measures(ev)
    out = []
    for test in changes(ev):
        area = test.area(ev.partnership)
        for measure in test.measures:
            direction = performance.MEASURES[measure].improvement
            series = evaluation.measure_series(monthly, measure, area)
            its_result, its_note = interrupted(monthly, measure, area, test.start)
            did_result, did_note = compared(monthly, ev, test, measure)
            out.append(
                Evaluated(
                    change=test,
                    measure=measure,
                    area=area,
                    chart=with_counts(
                        evaluation.rebased_chart(
                            series, test.start, improvement=direction
                        ).reset_index(),
                        monthly,
                        measure,
                        area,
                    ),
                    impact=evaluation.before_after(series, test.start, improvement=direction),
                    its=its_result,
                    its_note=its_note,
                    did=did_result,
                    did_note=did_note,
                    months=series.index,
                )
            )
    return out


def with_counts(
    frame: pd.DataFrame, monthly: pd.DataFrame, measure: str, area: str
) -> pd.DataFrame:
    """A chart's months with the counts behind each value (numerator, denominator), so
    disclosure control suppresses a value that rests on a small count."""
    rows = monthly[(monthly["measure"] == measure) & (monthly["area"] == area)]
    return frame.merge(rows[["month", "numerator", "denominator"]], on="month", how="left")


def count_spec(measure: str) -> dict:
    """counts, derived and safe for a chart of a performance measure (as the performance
    report declares them): the numerator is a count, a denominator too when it counts
    events, else it is a population; the value and the limits derive from them."""
    info = performance.MEASURES[measure]
    counts = ["numerator", *(["denominator"] if info.denominator_is_count else [])]
    safe = [*CHART_SAFE, *([] if info.denominator_is_count else ["denominator"])]
    return {"counts": counts, "derived": {"value": counts}, "safe": safe}


def balancing(ev: Evidence, settings: AppraisalSettings) -> pd.DataFrame:
    """Each balancing measure after each change, in its area and the neighbouring
    localities (evaluation.balancing_check), with the change it follows."""
    monthly, parts = measures(ev), []
    for test in changes(ev):
        area = test.area(ev.partnership)
        neighbours = [loc for loc in ev.partnership.localities if loc != test.locality]
        check = evaluation.balancing_check(
            monthly, test.start, area=area, balancing=settings.balancing_measures,
            neighbours=neighbours if test.locality else (),
        )  # fmt: skip
        parts.append(check.assign(following=test.label))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


# --- sentences ---------------------------------------------------------------------------------


def _interval(ratio: float, lower: float, upper: float) -> str:
    return (
        f"{text.signed_percent(ratio - 1, 1)} (95% interval {text.signed_percent(lower - 1, 1)} "
        f"to {text.signed_percent(upper - 1, 1)})"
    )


def result_sentence(e: Evaluated) -> str:
    """One measure of one change: before and after, the ITS level change, the DiD."""
    i = e.impact
    unit = performance.MEASURES[e.measure].unit
    verdict = {"improvement": "special cause improvement", "concern": "special cause concern",
               "no signal": "common cause variation only"}.get(i.verdict, i.verdict)  # fmt: skip
    parts = [
        f"{e.change.description} in {e.area} from {text.month(e.change.start)}: "
        f"{text.lower_first(e.label)} went from {text.number(i.before_mean, 1)} to "
        f"{text.number(i.after_mean, 1)} {unit.lower()} ({text.signed_percent(i.change, 1)}; {verdict})"
    ]
    if e.its is not None:
        clear = not (e.its.lower <= 1 <= e.its.upper)
        parts.append(
            f"the interrupted time series puts the step at {_interval(e.its.rate_ratio, e.its.lower, e.its.upper)}"
            + ("" if clear else ", which could be no change")
        )
    if e.did is not None:
        unit = performance.MEASURES[e.measure].unit.lower()
        parts.append(
            f"against the localities that did not change, the gap moved by "
            f"{text.signed_number(e.did.estimate, 1)} {unit} ({text.signed_number(e.did.lower, 1)} "
            f"to {text.signed_number(e.did.upper, 1)})"
        )
    return "; ".join(parts) + "."


def pressure_sentences(check: pd.DataFrame) -> list[str]:
    """Where pressure appeared after each change, named plainly (one sentence a change);
    or that none did; and what could not be checked."""
    if check.empty:
        return []
    found = evaluation.pressures(check)
    messages = []
    for following, rows in found.groupby("following", sort=False):
        places = [
            f"{text.lower_first(r.label)} in {r.area}"
            f"{' (where the change was made)' if r.where == 'changed area' else ''} "
            f"{'rose' if r.change > 0 else 'moved'} to {text.number(r.after_mean, 1)} a day "
            f"({text.signed_percent(r.change, 1)}, special cause from {text.month_short(r.first_signal)})"
            for r in rows.itertuples()
        ]
        messages.append(f"Pressure after {following}: {text.join(places, 'and')}.")
    if not len(found):
        messages.append("No balancing measure shows pressure after the changes.")
    unchecked = sorted(set(check.loc[check["status"] != "checked", "label"]))
    if unchecked:
        messages.append(
            f"Not checked, for want of data: {text.join(text.lower_first(u) for u in unchecked)} "
            "(they need the whole-system tables)."
        )
    return messages


def summary(results: list[Evaluated], check: pd.DataFrame, ev: Evidence) -> list[str]:
    """The key messages: each change's result, then any pressure it pushed elsewhere."""
    if results:
        return [result_sentence(e) for e in results] + pressure_sentences(check)
    if ev.locality is None:
        return [
            f"No test of change is recorded for {ev.area}: add one to the partnership's params "
            "(tests_of_change: date, locality, description, measures) to evaluate it here."
        ]
    return [
        f"No test of change is recorded for {ev.area}; the whole partnership's pack evaluates "
        "the changes of its other localities, and its balancing measures look here too."
    ]


# --- tables ------------------------------------------------------------------------------------


def results_table(results: list[Evaluated]) -> pd.DataFrame:
    rows = []
    for e in results:
        i = e.impact
        rows.append(
            {
                "change": e.change.label,
                "measure": e.label,
                "before": i.before_mean,
                "after": i.after_mean,
                "change_pct": i.change,
                "verdict": i.verdict,
                "its_step": np.nan if e.its is None else e.its.rate_ratio - 1,
                "its_lower": np.nan if e.its is None else e.its.lower - 1,
                "its_upper": np.nan if e.its is None else e.its.upper - 1,
                "did": np.nan if e.did is None else e.did.estimate,
                "did_lower": np.nan if e.did is None else e.did.lower,
                "did_upper": np.nan if e.did is None else e.did.upper,
                "parallel_before": None if e.did is None else e.did.parallel_trends,
            }
        )
    return pd.DataFrame(rows)


_PCT = "{:+.1%}"
RESULTS_SPEC = {
    "counts": [],
    "formats": {
        "before": "{:,.1f}",
        "after": "{:,.1f}",
        "change_pct": _PCT,
        "its_step": _PCT,
        "its_lower": _PCT,
        "its_upper": _PCT,
        "did": "{:+,.1f}",
        "did_lower": "{:+,.1f}",
        "did_upper": "{:+,.1f}",
    },  # fmt: skip
    "labels": {
        "change": "Change",
        "measure": "Measure",
        "before": "Mean before",
        "after": "Mean after",
        "change_pct": "Change",
        "verdict": "Control chart",
        "its_step": "ITS step",
        "its_lower": "low",
        "its_upper": "high",
        "did": "Difference in differences",
        "did_lower": "low",
        "did_upper": "high",
        "parallel_before": "Parallel before",
    },  # fmt: skip
}


def balancing_table(check: pd.DataFrame) -> pd.DataFrame:
    if check.empty:
        return check
    return check[["following", "label", "area", "where", "status", "verdict", "before_mean",
                  "after_mean", "pressure", "first_signal"]]  # fmt: skip


BALANCING_SPEC = {
    "counts": [],
    "formats": {"before_mean": "{:,.1f}", "after_mean": "{:,.1f}"},
    "labels": {
        "following": "After",
        "label": "Balancing measure",
        "area": "Area",
        "where": "Where",
        "status": "Checked",
        "verdict": "Verdict",
        "before_mean": "Mean before",
        "after_mean": "Mean after",
        "pressure": "Pressure",
        "first_signal": "First signal",
    },  # fmt: skip
}


def pdsa(ev: Evidence, settings: AppraisalSettings) -> pd.DataFrame:
    """The PDSA cycles of the view's area, each with its run chart's data."""
    cycles = [c for c in settings.cycles_for(ev.partnership.name)
              if ev.locality is None or c.locality == ev.locality]  # fmt: skip
    improvement = {name: m.improvement for name, m in performance.MEASURES.items()}
    record = evaluation.pdsa_record(cycles, measures(ev), ev.partnership.name,
                                    improvement=improvement)  # fmt: skip
    record.attrs["cycles"] = cycles
    return record


def pdsa_cycles_table(record: pd.DataFrame) -> pd.DataFrame:
    table = evaluation.pdsa_table(record.attrs.get("cycles", ()))
    table["measure"] = table["measure"].map(
        lambda m: performance.MEASURES[m].label if m in performance.MEASURES else m
    )
    return table


PDSA_SPEC = {
    "counts": [],
    "labels": {
        "cycle": "Cycle",
        "start": "Start",
        "end": "End",
        "locality": "Locality",
        "tried": "What was tried",
        "measure": "Measure watched",
        "learning": "Learning",
    },  # fmt: skip
}


# --- figures -------------------------------------------------------------------------------------


def chart_args(e: Evaluated) -> dict:
    m = performance.MEASURES[e.measure]
    i = e.impact
    return {
        "data": e.chart,
        "title": f"{m.label}, {e.area}: {text.signed_percent(i.change, 1)} after "
        f"{e.change.description.lower()} ({i.verdict}), control limits rebased at "
        f"{text.month_short(e.change.start)}",
        "alt": f"Control chart of {m.label.lower()} by month in {e.area}, with the mean and "
        "process limits before the change and a new phase from it.",
        **count_spec(e.measure),
        "ylabel": m.unit,
        "annotations": [(e.change.start, e.change.description)],
        "percent": m.percent,
    }


def its_args(e: Evaluated) -> dict:
    series = e.its.series.assign(month=e.months[: len(e.its.series)])
    return {
        "data": series[["month", "observed", "fitted", "counterfactual"]],
        "change": e.change.start,
        "title": f"{e.label}, {e.area}: the modelled step at {text.month_short(e.change.start)} is "
        f"{_interval(e.its.rate_ratio, e.its.lower, e.its.upper)}",
        "alt": "Monthly counts as points, the segmented regression as a line, and the line it "
        "expects without the change, dashed, from the change.",
        "counts": ["observed"],
        "safe": ["fitted", "counterfactual"],  # the model's smooth curves
        "ylabel": "A month",
    }


def did_args(e: Evaluated, monthly: pd.DataFrame) -> dict:
    gaps = e.did.gaps[["month", "treated", "control"]]
    rows = monthly[monthly["measure"] == e.measure]
    counts = rows.groupby(["month", rows["area"] == e.area])["numerator"].sum().unstack()
    gaps = gaps.assign(
        treated_count=gaps["month"].map(counts.get(True)),
        control_count=gaps["month"].map(
            rows[rows["area"].isin(e.did.controls)].groupby("month")["numerator"].sum()
        ),
    )
    return {
        "data": gaps,
        "change": e.change.start,
        "treated_label": e.area,
        "control_label": f"Mean of {text.join(e.did.controls)}",
        "title": f"{e.label}: {e.area} against the localities that did not change, "
        f"{text.number(e.did.estimate, 1)} a day after the change",
        "alt": "Two lines by month: the changed locality and the mean of the localities that "
        "did not change, with the change marked.",
        "counts": ["treated_count", "control_count"],
        "derived": {"treated": ["treated_count"], "control": ["control_count"]},
        "ylabel": performance.MEASURES[e.measure].unit,
    }


def pdsa_chart_args(record: pd.DataFrame, cycle: str, monthly: pd.DataFrame) -> dict:
    part = record[record["cycle"] == cycle]
    measure, area = part["measure"].iloc[0], part["area"].iloc[0]
    m = performance.MEASURES[measure]
    label = m.label
    data = part[["month", "value", "phase", "mean", "lpl", "upl", "rule", "point_type"]]
    return {
        "data": with_counts(data, monthly, measure, area),
        **count_spec(measure),
        "title": f"{cycle}: {label.lower()}, {part['area'].iloc[0]}",
        "alt": f"Run chart of {label.lower()} from 12 months before the cycle to its end.",
        "ylabel": m.unit,
        "annotations": [(part.loc[part["in_cycle"], "month"].iloc[0], cycle)],
    }
