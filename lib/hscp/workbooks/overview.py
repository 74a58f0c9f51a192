"""The overview: one page a partnership lead reads in three minutes, across the reports.

Every number comes from the evidence register (hscp.evidence), so it is the number
the detailed reports quote; the signals come from the rules of hscp.evidence.signals,
so a partnership that looks steady overall cannot hide a locality's special cause.
The sections: the headline figures with their direction and comparisons, each
locality's direction on each headline measure with the priority localities named,
the signals, the tests of change and what they did, the demographic pressure to
2035, and what each detailed report answers (with links).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from hscp import paths, text
from hscp.evidence import Evidence, EvidenceError, signals
from hscp.workbooks import phase1_evidence

#: The headline figures (register keys), each with a short name for a lead and, for a
#: rate, the count key whose change on the year before is its direction.
HEADLINES = {
    "emergency_admission_easr": ("Emergency admissions per 1,000 (standardised)",
                                 "emergency_admissions"),
    "emergency_beds": ("Beds used by emergency stays a day (all ages)", None),
    "ppa_share": ("Emergency admissions potentially preventable", "ppa_admissions"),
    "ae_attendance_easr": ("A&E attendances per 1,000 (standardised)", "ae_attendances"),
    "ae_4_hour_percent": ("A&E seen within 4 hours (standard 95%)", None),
    "delayed_beds": ("Beds used by people delayed a day (18+)", None),
    "ni14_readmission_rate": ("Readmissions in 28 days per 1,000 discharges", None),
    "ni16_falls_rate": ("Admissions after a fall per 1,000 aged 65+", None),
}  # fmt: skip

#: Better when higher (the rest are better when lower).
HIGHER_IS_BETTER = {"ae_4_hour_percent"}

#: The locality grid's columns: a headline count's change on the year before.
GRID = {
    "emergency_admissions": "Emergency admissions",
    "emergency_bed_days": "Emergency bed days",
    "ae_attendances": "A&E attendances",
    "delayed_bed_days": "Delayed bed days",
}

COMPARISON_WORDS = {
    "higher": "higher",
    "lower": "lower",
    "no clear difference": "similar",
}

#: The detailed reports the overview links to, in the order a lead reads them.
REPORTS = (
    "analysis/unscheduled_care",
    "analysis/delayed_discharges",
    "analysis/performance",
    "analysis/integration_indicators",
    "analysis/projections",
    "analysis/system_dynamics",
    "phases/phase1_evidence",
    "phases/phase2_options",
    "phases/phase3_implementation",
    "phases/phase4_evaluation",
)


# --- key messages -----------------------------------------------------------------------------


def key_messages(
    ev: Evidence,
    found: Sequence[signals.Signal],
    covered: Sequence[str],
    provisional_from=None,
) -> list[str]:
    """The headline in sentences (the case for change's summary), then the signals
    anywhere in the partnership, the priority localities and the pressure to 2035."""
    pressure = phase1_evidence.pressure_sentences(ev)  # said with the beds, below
    messages = [
        m for m in phase1_evidence.summary(ev, covered, provisional_from) if m not in pressure
    ]
    messages += signals.messages(found, ev.partnership, ev.locality, tests=False)
    priority = signals.priority_localities(found, ev.partnership)
    if ev.locality is None and priority:
        noun = "locality" if len(priority) == 1 else "localities"
        messages.append(f"Priority {noun}: {text.join(priority)}, with the most concerns above.")
    messages += beds_sentences(ev)
    return _unique(messages)


def beds_sentences(ev: Evidence) -> list[str]:
    """The beds figures of the reports told apart: all ages and people 65+ today, and the
    extra beds by 2035 of the projections (all ages) and the system dynamics model (65+)."""
    try:
        today = ev.distinguish("emergency_beds", "sd_emergency_beds_65plus")
        extra = ev.figure("projected_extra_beds_demography")
        extra_65 = ev.figure("sd_extra_beds_65plus_future")
    except EvidenceError:
        return []
    return [
        f"On an average day, emergency stays use {today}. By 2035 the projections need "
        f"{extra.number()} more beds for all ages, holding each age's admission rate and "
        f"length of stay; the system dynamics model needs {extra_65.number()} more for people "
        f"aged 65+ alone, holding community services at today's capacity, so that delays grow "
        f"with demand."
    ]


# --- the headline figures ---------------------------------------------------------------------


def headline_table(ev: Evidence, covered: Sequence[str]) -> pd.DataFrame:
    """The area's headline figures: value, change on the year before (of the count
    behind a rate), and how it compares with its partnership, board and Scotland (95%
    intervals); words, so a lead reads it as it is."""
    rows = []
    board = ev.partnership.health_board_name in covered and _board_differs(ev)
    for key, (name, change_key) in HEADLINES.items():
        try:
            f = ev.figure(key)
            moved = ev.figure(change_key) if change_key else f
        except EvidenceError:
            continue
        row = {
            "Measure": name,
            "Latest 12 months": f.number(),
            "Change": _direction(moved.change),
        }
        if ev.locality:
            row["vs partnership"] = _compared(f.vs_partnership)
        if board:
            row["vs board"] = _compared(f.vs_board)
        if "Scotland" in covered:
            row["vs Scotland"] = _compared(f.vs_scotland)
        rows.append(row)
    return pd.DataFrame(rows)


#: The headline table's comparison columns, as written (lower case "vs").
HEADLINE_LABELS = {c: c for c in ("vs partnership", "vs board", "vs Scotland")}


def _board_differs(ev: Evidence) -> bool:
    return ev.partnership.health_board_name != ev.partnership.name and any(
        ev.register()["area"] == ev.partnership.health_board_name
    )


def _direction(change: float) -> str:
    if text.missing(change):
        return "-"
    arrow = "▲" if change > 0 else "▼" if change < 0 else "="
    return f"{arrow} {text.percent(abs(change), 1)}"


def _compared(verdict: str | None) -> str:
    return COMPARISON_WORDS.get(verdict or "", "-")


# --- the localities at a glance -------------------------------------------------------------


def locality_grid(ev: Evidence, found: Sequence[signals.Signal]) -> pd.DataFrame:
    """Each locality (and the partnership) against the year before on each headline
    count (▲ up, ▼ down), with its concerns counted from the signals."""
    register = ev.register()
    areas = [*ev.partnership.localities, ev.partnership.name]
    rows = []
    for area in areas:
        row = {"Area": area}
        for key, name in GRID.items():
            hit = register[(register["key"] == key) & (register["area"] == area)]
            row[name] = "-" if hit.empty else _direction(hit["change"].iloc[0])
        row["Concerns"] = sum(1 for s in found if s.area == area and s.concern)
        rows.append(row)
    return pd.DataFrame(rows)


# --- the tests of change ----------------------------------------------------------------------


def tests_table(impact: pd.DataFrame) -> pd.DataFrame:
    """Each test of change, one row, and what it did to each measure it was meant to move
    ("improved": the months since it began are beyond the limits of the months before,
    for the better)."""
    columns = ["Test of change", "Where", "From", "What it did"]
    if impact is None or impact.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for (test, start, area), group in impact.groupby(["test", "start", "area"], sort=False):
        did = []
        for r in group.itertuples(index=False):
            if r.verdict == "too few months to judge":
                did.append(f"{text.lower_first(r.label)}: too few months to judge")
            else:
                did.append(
                    f"{text.lower_first(r.label)} {text.signed_percent(r.change)} "
                    f"({RESULT_WORDS.get(r.verdict, r.verdict)})"
                )
        rows.append(
            dict(
                zip(
                    columns,
                    [test, area, f"{pd.Timestamp(start):%b %Y}", "; ".join(did)],
                    strict=True,
                )
            )
        )
    return pd.DataFrame(rows)


RESULT_WORDS = {
    "improvement": "improved",
    "concern": "worsened",
    "mixed": "better and worse months",
    "higher": "higher",
    "lower": "lower",
    "no signal": "no clear change yet",
}


# --- the detailed reports ---------------------------------------------------------------------


def report_links(notebooks: Sequence[str] = REPORTS) -> list[tuple[str, str, str]]:
    """Each detailed report as (title, link, the question it answers): it sits beside
    the overview, and its notebook's metadata (hscp.title, hscp.answers) says what it is."""
    out = []
    for nb in notebooks:
        meta = paths.notebook_metadata(nb).get("hscp", {})
        if meta:
            name = nb.rsplit("/", 1)[-1]
            out.append((meta.get("title", name), f"{name}.html", meta.get("answers", "")))
    return out


def _unique(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(items))
