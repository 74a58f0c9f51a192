"""The performance report: what the control charts say, and the arguments of its
tables and figures (the charts and their rules are computed by hscp.performance)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from hscp import spc, text
from hscp.evidence import signals
from hscp.geography import Partnership
from hscp.params import TestOfChange
from hscp.performance import LOCALITY_AREA, MEASURES, Measure


def describe(summary: pd.Series) -> str:
    """One sentence on a chart's latest phase, for its caption: 'Delayed discharge bed
    days, Clackmannanshire: special cause improvement in Mar 2025 (mean 14.7 a day
    since Apr 2024)'. A per-day measure's mean says 'a day'."""
    measure = MEASURES[summary["measure"]]
    kind = {
        "common_cause": "common cause variation only",
        "special_cause_improvement": "special cause improvement",
        "special_cause_concern": "special cause concern",
        "special_cause_neutral_high": "special cause variation, higher",
        "special_cause_neutral_low": "special cause variation, lower",
    }.get(summary["variation"], "no data")
    mean = (
        f"{summary['mean']:.1f}%"
        if measure.percent
        else f"{summary['mean']:,.1f}"
        if abs(summary["mean"]) < 100
        else f"{summary['mean']:,.0f}"
    )
    since = f" since {summary['phase_start']:%b %Y}" if summary.get("phases", 1) > 1 else ""
    text = (
        f"{measure.label}, {summary['area']}: {kind} in {summary['latest_month']:%b %Y} "
        f"(mean {mean}{_per(measure)}{since})"
    )
    if measure.target is not None and summary.get("assurance"):
        target = f"{measure.target:g}%" if measure.percent else f"{measure.target:g}"
        text += f"; against the {target} target: {summary['assurance_text'].lower()}"
    return text


#: Columns of a control chart that are not counts of people: the days in the month,
#: the phase number, and the phase's mean, limits and target (statistics of a whole
#: phase of months, or parameters).
CHART_SAFE = ["days", "phase", "mean", "lpl", "upl", "lower_2sigma", "upper_2sigma", "target"]


# --- what the notebook publishes --------------------------------------------------------

VERDICT_TEXT = {
    "improvement": "special cause improvement",
    "concern": "special cause concern",
    "mixed": "both improvement and concern",
    "higher": "special cause, higher",
    "lower": "special cause, lower",
    "no signal": "no special cause yet",
    "too few months to judge": "too few months to judge",
}


def _fmt_level(value: float, measure: Measure, threshold: int, count: float | None = None) -> str:
    """A level for a sentence. A per-day level of a count is not given when the count it
    comes from (`count`, the months' total) is small, as its table would hide it."""
    if pd.isna(value):
        return "not available"
    if measure.percent:
        return f"{value:.1f}%"
    if measure.per_day and count is not None and 0 < count < threshold:
        return "a level not shown (small numbers)"
    if measure.name.endswith("_rate") or measure.per_day:
        return f"{value:,.2f}" if value < 10 else f"{value:,.1f}"
    return text.count(value, threshold=threshold)


def _per(measure: Measure) -> str:
    if measure.percent:
        return ""
    if measure.name == "emergency_admission_rate":
        return " per 100,000 residents a day"
    if measure.name == "readmission_rate":
        return " per 1,000 discharges"
    if measure.name.endswith("bed_days"):
        return " a day (average beds)"
    return " a day" if measure.per_day else " a month"


def area_tests(tests: Sequence[TestOfChange], area: str, partnership: Partnership):
    """The tests of change a report on `area` talks about: all of them for the
    partnership, the locality's own and the partnership-wide ones for a locality."""
    if area == partnership.name:
        return list(tests)
    return [t for t in tests if t.locality in (None, area)]


def key_messages(
    summary: pd.DataFrame,
    impact: pd.DataFrame,
    area: str,
    partnership: Partnership,
    *,
    threshold: int = 10,
) -> list[str]:
    """Key messages for a report on `area`, built from the published summary and
    impact tables: what the latest month shows, what each test of change did, how
    the 4-hour standard is met, and a warning about trial limits."""
    mine = summary[summary["area"] == area]
    if mine.empty:
        return [f"There are no data to chart for {area}."]
    latest = mine["latest_month"].max()
    better = mine.loc[mine["variation"] == "special_cause_improvement", "label"].tolist()
    worse = mine.loc[mine["variation"] == "special_cause_concern", "label"].tolist()
    stable = len(mine) - len(better) - len(worse)
    if not better and not worse:
        first = (
            f"In {latest:%B %Y}, all {len(mine)} measures for {area} showed common cause "
            "variation only: no significant change in the latest month."
        )
    else:
        parts = []
        if better:
            parts.append(f"{len(better)} showed special cause improvement ({text.join(better)})")
        if worse:
            parts.append(f"{len(worse)} special cause concern ({text.join(worse)})")
        if stable:
            parts.append(f"{stable} common cause variation only")
        first = f"In {latest:%B %Y}, of the {len(mine)} measures for {area}, {text.join(parts)}."
    messages = [first]
    if area == partnership.name:
        # A partnership that is steady overall can hide a locality's special cause.
        in_localities = signals.in_areas(signals.special_causes(summary), partnership.localities)
        if in_localities and not better and not worse:
            messages[0] = (
                f"In {latest:%B %Y}, all {len(mine)} measures for {area} as a whole showed common "
                "cause variation only, but not every locality's did."
            )
        messages += signals.messages(in_localities, partnership)
    if impact is not None and len(impact):
        rows = impact
        if area != partnership.name:
            rows = impact[impact["area"].isin([area, partnership.name])]
        for (name, start, where), group in rows.groupby(["test", "start", "area"], sort=False):
            findings = []
            for _, row in group.iterrows():
                measure = MEASURES[row["measure"]]
                label = text.lower_first(measure.label)
                if row["verdict"] == "too few months to judge":
                    findings.append(f"{label}: too few months to judge")
                    continue
                before = _fmt_level(row["mean_before"], measure, threshold, row["count_before"])
                after = _fmt_level(row["mean_after"], measure, threshold, row["count_after"])
                findings.append(
                    f"{label} went from {before} to {after}{_per(measure)}"
                    f" ({text.signed_percent(row['change'])}): {VERDICT_TEXT[row['verdict']]}"
                )
            messages.append(f"{name} ({where}, from {start:%B %Y}): " + "; ".join(findings) + ".")
    for _, row in mine[mine["assurance"].notna()].iterrows():
        measure = MEASURES[row["measure"]]
        when = f"since {row['phase_start']:%B %Y}" if row["phases"] > 1 else "over the period"
        verdict = text.lower_first(row["assurance_text"])
        messages.append(
            f"{measure.label} averaged {_fmt_level(row['mean'], measure, threshold)} {when}, "
            f"against a target of {measure.target:g}{'%' if measure.percent else ''}: it "
            f"{verdict}."
        )
    short = mine.loc[mine["warnings"].str.len() > 0, "label"].tolist()
    if short:
        messages.append(
            f"Some phases have fewer than {spc.SHORT_PHASE} months, so their limits are trial "
            f"limits that will settle as more months come in ({text.join(short)})."
        )
    return messages


def figure_args(
    charts: pd.DataFrame,
    summary: pd.DataFrame,
    tests: Sequence[TestOfChange],
    partnership: Partnership,
    area: str,
    measure: str,
) -> dict:
    """The arguments of report.figure(charts.spc_chart, ...) for one area's chart of
    one measure: the data (disclosure: the numerator, and a denominator that counts
    events, are counts; the value derives from them), the caption that states the
    finding, alt text, the tests of change to mark and the icons."""
    info = MEASURES[measure]
    data = charts[(charts["area"] == area) & (charts["measure"] == measure)]
    data = data.drop(columns=["area_type"]).reset_index(drop=True)
    row = summary[(summary["area"] == area) & (summary["measure"] == measure)]
    counts = ["numerator", *(["denominator"] if info.denominator_is_count else [])]
    marks = [
        (
            t.start,
            t.description if t.locality in (None, area) else f"{t.description} ({t.locality})",
        )
        for t in area_tests(tests, area, partnership)
        if measure in t.measures and data["month"].min() < t.start <= data["month"].max()
    ]
    if row.empty:
        title, icons, note = f"{info.label}, {area}: no data", None, info.charted
    else:
        s = row.iloc[0]
        title = describe(s)
        icons = (s["variation_icon"], s["assurance_icon"] if info.target else None)
        note = " ".join(x for x in (info.charted, s["warnings"]) if x)
    alt = (
        f"Control chart of {info.label.lower()}{_per(info)} by month for {area}, "
        f"{data['month'].min():%B %Y} to {data['month'].max():%B %Y}, with the mean and "
        f"process limits of each phase; special cause months are coloured."
    )
    return {
        "data": data,
        "title": title,
        "alt": alt,
        "counts": counts,
        "derived": {"value": counts},
        # a denominator that is not a count of events is a population
        "safe": [*CHART_SAFE, *([] if info.denominator_is_count else ["denominator"])],
        "note": note,
        "ylabel": info.unit,
        "percent": info.percent,
        "annotations": marks,
        "icons": icons,
    }


def summary_table(summary: pd.DataFrame, area: str) -> pd.DataFrame:
    """The summary of one area's charts in words, one row per measure (for
    report.table; its count column is "Count in the latest month", the events behind
    the latest value, from which the value, mean and limits derive)."""
    out = summary[summary["area"] == area].copy()
    out["order"] = out["measure"].map({m: i for i, m in enumerate(MEASURES)})
    out = out.sort_values("order")
    return pd.DataFrame(
        {
            "Measure": out["label"],
            "Latest month": out["latest_month"],
            "Count in the latest month": out["latest_count"].round().astype("Int64"),
            "Latest value": out["latest_value"],
            "Mean": out["mean"],
            "Lower limit": out["lpl"],
            "Upper limit": out["upl"],
            "Variation": out["variation_text"],
            "Assurance": out["assurance_text"].replace("", "no target"),
        }
    ).reset_index(drop=True)


def impact_table(impact: pd.DataFrame) -> pd.DataFrame:
    """The impact of each test of change, for report.table (counts: "Count before" and
    "Count after", the events counted over the months compared; the means derive
    from them). Empty (with its columns) when no test of change falls in the period."""
    columns = [
        "test",
        "area",
        "start",
        "label",
        "count_before",
        "count_after",
        "mean_before",
        "mean_after",
        "change",
        "verdict",
        "first_signal",
    ]
    impact = (impact if impact is not None else pd.DataFrame()).reindex(columns=columns)
    return pd.DataFrame(
        {
            "Test of change": impact["test"],
            "Area": impact["area"],
            "From": impact["start"],
            "Measure": impact["label"],
            "Count before": impact["count_before"].astype(float).round().astype("Int64"),
            "Count after": impact["count_after"].astype(float).round().astype("Int64"),
            "Mean before": impact["mean_before"].astype(float).round(1),
            "Mean after": impact["mean_after"].astype(float).round(1),
            "Change": impact["change"].astype(float).map(text.signed_percent),
            "Verdict": impact["verdict"].map(VERDICT_TEXT),
            "First special cause month": impact["first_signal"],
        }
    ).reset_index(drop=True)


def small_multiples_args(
    charts: pd.DataFrame,
    summary: pd.DataFrame,
    partnership: Partnership,
    highlight: str | None = None,
    *,
    max_grid: int = 4,
) -> list[dict]:
    """Arguments of report.figure(charts.spc_small_multiples, ...) comparing the
    localities: one grid (a row per measure, a column per locality) when there are
    at most `max_grid` localities, else one figure per measure."""
    local = charts[charts["area_type"] == LOCALITY_AREA].drop(columns=["area_type"])
    icons = {
        (row["measure"], row["area"]): row["variation_icon"]
        for _, row in summary[summary["area_type"] == LOCALITY_AREA].iterrows()
    }
    labels = {name: m.label for name, m in MEASURES.items()}
    percent = [name for name, m in MEASURES.items() if m.percent]
    common = {
        "counts": ["numerator", "denominator"],
        "derived": {"value": ["numerator", "denominator"]},
        "safe": CHART_SAFE,
        "facet": "area",
        "facet_order": list(partnership.localities),
        "highlight": highlight,
    }
    span = f"{local['month'].min():%B %Y} to {local['month'].max():%B %Y}"
    if len(partnership.localities) <= max_grid:
        return [
            {
                **common,
                "data": local.reset_index(drop=True),
                "row": "measure",
                "row_order": list(MEASURES),
                "row_labels": labels,
                "percent_rows": percent,
                "icons": icons,
                "title": f"Every measure in every locality of {partnership.name}, {span}: "
                "a control chart each, with its variation icon",
                "note": "Admissions, bed days and attendances are charted per day (the month's "
                "count / its days), so a short month is not low for being short.",
                "alt": f"A grid of small control charts, one row per measure and one column per "
                f"locality of {partnership.name}, with special cause months coloured.",
            }
        ]
    return [
        {
            **common,
            "data": local[local["measure"] == name].reset_index(drop=True),
            "icons": {area: icon for (m, area), icon in icons.items() if m == name},
            "title": f"{m.label}{_per(m)} in each locality of {partnership.name}, {span}",
            "note": m.charted,
            "alt": f"Small control charts of {m.label.lower()}, one per locality of "
            f"{partnership.name}, with special cause months coloured.",
        }
        for name, m in MEASURES.items()
    ]


def icon_matrix_args(summary: pd.DataFrame, partnership: Partnership, highlight: str) -> dict:
    """Arguments of report.figure(charts.spc_icon_matrix, ...): the summary icons."""
    columns = ["measure", "label", "area", "latest_month", "latest_count", "variation"]
    data = summary[columns].assign(
        variation_icon=summary["variation_icon"],
        assurance=summary["assurance"],
        assurance_icon=summary["assurance_icon"],
    )
    latest = summary["latest_month"].max()
    return {
        "data": data.reset_index(drop=True),
        "counts": ["latest_count"],
        "row": "measure",
        "column": "area",
        "row_order": [m for m in MEASURES if m in set(summary["measure"])],
        "column_order": [partnership.name, *partnership.localities],
        "row_labels": {name: m.label for name, m in MEASURES.items()},
        "highlight": highlight,
        "title": f"Variation and assurance of each measure in {latest:%B %Y}, by area "
        "(Making Data Count icons; key below)",
        "alt": "A table of icons: for each measure (rows) and area (columns), the Making Data "
        "Count variation icon of the latest month and, where there is a target, the assurance "
        "icon. The summary table that follows says the same in words.",
    }
