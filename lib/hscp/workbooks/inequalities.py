"""Inequalities by deprivation, as the overview, unscheduled care and delayed discharges
reports show them: a sentence on the gap between the most and least deprived, a table
of rates by SIMD quintile, and a chart.

The rates come from the evidence register (tables "inequalities" and
"inequality_gaps", hscp.evidence.build.inequalities), for the whole partnership: the
datazone populations are not split by locality. The sentences quote the table as it is
published (disclosure control applied first), so a small count is never given away.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from hscp import disclosure, text
from hscp.evidence import Evidence

SCOTLAND_BASIS = "Scotland's quintiles"
PER = {"all ages": "per 1,000 residents", "18+": "per 1,000 residents aged 18+"}

#: How a sentence names each measure (lower case) and its unit.
NAMES = {
    "emergency_admissions": "emergency admissions",
    "ppa_admissions": "potentially preventable admissions",
    "delayed_bed_days": "delayed discharge bed days",
}


def available(ev: Evidence) -> bool:
    """Whether the data had a SIMD lookup and datazone populations (else the section is
    recorded as a problem of the evidence, and the reports say why)."""
    return "inequalities" in ev.table_names


def missing_note(ev: Evidence) -> str:
    """Why a report has no rates by deprivation, for a reader (the data's problem in full,
    with its file and column, goes to the analyst: `analyst_detail`)."""
    why = ev.problems.get("inequalities", "")
    broken = "breaks the data contract" in why
    return (
        "Rates by deprivation need the SIMD lookup and the datazone populations (extracts "
        "simd_lookup and datazone_population): "
        + ("one of them breaks the data contract." if broken else "these data do not have them.")
    )


def analyst_detail(ev: Evidence) -> str:
    return ev.problems.get("inequalities", "")


def rates_table(ev: Evidence, keys: Sequence[str], basis: str = SCOTLAND_BASIS) -> pd.DataFrame:
    """Rates by SIMD quintile of the partnership, most deprived first, for `keys`."""
    table = ev.table("inequalities")
    rows = table[table["key"].isin(list(keys)) & (table["basis"] == basis)]
    out = rows[["measure", "quintile", "count", "population", "rate", "lower", "upper"]]
    return out.astype({"count": "int64", "population": "int64"}).reset_index(drop=True)


RATES_SPEC = {
    "counts": ["count"],
    "dims": ["measure", "quintile"],
    "derived": {"rate": ["count"], "lower": ["count"], "upper": ["count"]},
    "safe": ["population"],
    "formats": {"rate": "{:,.1f}", "lower": "{:,.1f}", "upper": "{:,.1f}", "population": "{:,.0f}"},
    "labels": {
        "measure": "Measure",
        "quintile": "SIMD quintile",
        "count": "Count",
        "population": "Population",
        "rate": "Rate per 1,000",
        "lower": "Lower 95% CI",
        "upper": "Upper 95% CI",
    },
}


def _scotland_gap(ev: Evidence, key: str, threshold: int):
    """A measure's rates by Scotland's quintiles and its gaps, as (rates, gaps row,
    why not): `why not` says why no rate may be quoted ("small": disclosure control
    suppresses a quintile's count; "no residents": the area has no datazone in Scotland's
    most or least deprived fifth, as some islands have not), else None. None when there
    are no rates."""
    rates, gaps = ev.table("inequalities"), ev.table("inequality_gaps")
    mine = rates[(rates["key"] == key) & (rates["basis"] == SCOTLAND_BASIS)]
    gap = gaps[(gaps["key"] == key) & (gaps["basis"] == SCOTLAND_BASIS)]
    if mine.empty or gap.empty:
        return None
    protected = disclosure.protect(
        mine[["quintile", "count", "rate"]].reset_index(drop=True), ["count"],
        threshold=threshold, derived={"rate": ["count"]},
    )  # fmt: skip
    if len(mine) < 5 or protected.suppressed.to_numpy().any():
        return mine, gap.iloc[0], "small"
    if (mine["population"].iloc[[0, -1]] <= 0).any():
        return mine, gap.iloc[0], "no residents"
    return mine, gap.iloc[0], None


def gap_sentences(
    ev: Evidence, keys: Sequence[str], threshold: int, locality: str | None = None
) -> list[str]:
    """One sentence a measure: the rate in the most deprived fifth against the least, the
    relative gap and the slope index of inequality (Scotland's quintiles). Nothing is said
    of a measure whose published table suppresses a quintile."""
    out = []
    for key in keys:
        found = _scotland_gap(ev, key, threshold)
        if found is None:
            continue
        mine, g, why_not = found
        if why_not == "small":
            out.append(
                f"There are too few {NAMES[key]} in some deprivation quintiles to compare them."
            )
            continue
        if why_not == "no residents":
            out.append(
                f"No residents live in the most or the least deprived fifth of Scotland's "
                f"datazones, so the gap in {NAMES[key]} cannot be measured on Scotland's quintiles."
            )
            continue
        most, least = mine["rate"].iloc[0], mine["rate"].iloc[-1]
        per = PER[g["ages"]]
        out.append(
            f"{text.upper_first(NAMES[key])} were {text.number(g['relative_gap'], 1)} times as "
            f"high among residents of the most deprived fifth of Scotland's datazones as of the "
            f"least deprived ({text.number(most, 1)} against {text.number(least, 1)} {per}); "
            f"taking every fifth into account (the slope index of inequality), the rate rises by "
            f"{text.number(g['sii'], 1)} from the least to the most deprived."
        )
    if out and locality:
        out.append(
            f"These are for the whole partnership: the datazone populations are not split by "
            f"locality, so {locality} has no figures of its own."
        )
    return out


def gaps_table(ev: Evidence, keys: Sequence[str], threshold: int) -> pd.DataFrame:
    """One row a measure: the rate of the most and least deprived fifths, how many times as
    high, and the slope index of inequality (Scotland's quintiles). A measure with a
    suppressed count in any quintile shows no numbers (they could give the count away)."""
    rows = []
    for key in keys:
        found = _scotland_gap(ev, key, threshold)
        if found is None:
            continue
        mine, g, why_not = found
        shown = why_not is None
        rows.append(
            {
                "Measure": f"{text.upper_first(NAMES[key])}, {PER[g['ages']]}",
                "Most deprived fifth": mine["rate"].iloc[0] if shown else None,
                "Least deprived fifth": mine["rate"].iloc[-1] if shown else None,
                "Times as high": g["relative_gap"] if shown else None,
                "Slope index": g["sii"] if shown else None,
            }
        )
    return pd.DataFrame(rows)


GAPS_SPEC = {
    "counts": [],
    "safe": ["Most deprived fifth", "Least deprived fifth", "Times as high", "Slope index"],
    "formats": {
        "Most deprived fifth": "{:,.1f}",
        "Least deprived fifth": "{:,.1f}",
        "Times as high": "{:,.1f}",
        "Slope index": "{:,.1f}",
    },
    "note": "SIMD 2020v2 quintiles of Scotland's datazones, 12 months to the end of the period. "
    "Slope index of inequality: how far the rate rises from the least to the most deprived, "
    "taking every fifth into account. Blank: too few in a quintile to show, or no residents in "
    "the most or least deprived fifth.",
}


def chart_title(ev: Evidence, name: str, key: str = "emergency_admissions") -> str:
    """The finding of the chart, from the gap: higher, lower or similar in the most deprived."""
    gaps = ev.table("inequality_gaps")
    gap = gaps[(gaps["key"] == key) & (gaps["basis"] == SCOTLAND_BASIS)]
    ratio = gap["relative_gap"].iloc[0] if len(gap) else float("nan")
    what = NAMES[key]
    if text.missing(ratio):
        return f"{name}: {what} by deprivation"
    if ratio >= 1.1:
        return f"{name}: {what} are higher in the more deprived areas"
    if ratio <= 1 / 1.1:
        return f"{name}: {what} are lower in the more deprived areas"
    return f"{name}: {what} are much the same in the most and least deprived areas"


def chart_data(ev: Evidence, keys: Sequence[str], basis: str = SCOTLAND_BASIS) -> pd.DataFrame:
    """Rates by quintile for a chart: quintile, measure, count, rate."""
    return rates_table(ev, keys, basis)[["quintile", "measure", "count", "rate"]]
