"""Phase 1 of redesign, the case for change: the partnership's key indicators against
its comparators, their trends on control charts, the pressure of an ageing population
to 2035, where the opportunity lies, and what people told us.

Every number is quoted from the evidence register (hscp.evidence), so it is the same
number as in the analysis reports and the other phase packs. A comparator is named
only when the data cover it whole (measures.covered_comparators).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from hscp import disclosure, measures, text
from hscp.evidence import Evidence, EvidenceError
from hscp.geography import Partnership

#: The headline counts of the case for change (register keys), in the order a lead reads them.
INDICATORS = (
    "emergency_admissions",
    "emergency_bed_days",
    "ae_attendances",
    "delayed_bed_days",
    "ppa_admissions",
    "frequent_ae_attenders",
)
#: The rates compared across areas: register key -> the label of the table's column.
RATES = {
    "emergency_admission_easr": "Emergency admissions per 1,000 (age-sex standardised)",
    "emergency_bed_day_rate": "Emergency bed days per 1,000",
    "ae_attendance_easr": "A&E attendances per 1,000 (age-sex standardised)",
    "ppa_easr": "Potentially preventable admissions per 1,000 (age-sex standardised)",
    "ni19_delay_rate": "Delayed bed days per 1,000 aged 75+ (NI19)",
}
#: How a sentence names each rate.
RATE_NAMES = {
    "emergency_admission_easr": "emergency admissions",
    "emergency_bed_day_rate": "emergency bed days",
    "ae_attendance_easr": "A&E attendances",
    "ppa_easr": "potentially preventable admissions",
    "ni19_delay_rate": "delayed bed days of people aged 75+",
}
#: The measures charted for the trend (performance.MEASURES names).
TREND_MEASURES = (
    "emergency_admissions",
    "unscheduled_bed_days",
    "ae_attendances",
    "delayed_bed_days",
)


def comparators(ev: Evidence, covered: Sequence[str]) -> list[str]:
    """The areas a figure of the view's area is set against: its partnership (for a
    locality), then the board and Scotland when the data cover them."""
    p = ev.partnership
    areas = [ev.area, p.name, *covered]
    return list(dict.fromkeys(areas))


def _versus(ev: Evidence, covered: Sequence[str]) -> tuple[str | None, str | None]:
    """The widest comparator of the area and the register column that compares with it."""
    if "Scotland" in covered:
        return "Scotland", "vs_scotland"
    if ev.partnership.health_board_name in covered:
        return ev.partnership.health_board_name, "vs_board"
    if ev.locality:
        return ev.partnership.name, "vs_partnership"
    return None, None


# --- the one-page summary -------------------------------------------------------------------


def summary(ev: Evidence, covered: Sequence[str], provisional_from=None) -> list[str]:
    """The one-page summary: what a lead reads in two minutes, every number from the
    register as published (a small count reads 'fewer than 10'); provisional months named."""
    f = ev.figure
    area = ev.area
    adm, beds, ppa = f("emergency_admissions"), f("emergency_beds"), f("ppa_admissions")
    late = text.provisional(provisional_from, ev.end)
    messages = [
        f"In {adm.period_label}{late}, {text.possessive(area)} residents had {adm.number()} emergency "
        f"admissions ({_change(adm)} on the year before) and used {beds.number()} hospital beds "
        f"on an average day after one; {ppa.number()} admissions "
        f"({f('ppa_share').number()}) were potentially preventable.",
        f"There were {f('ae_attendances').number()} A&E attendances, "
        f"{f('ae_4_hour_percent').number()} of them completed within 4 hours (the standard is "
        f"95%); {f('frequent_ae_attenders').number()} people came to A&E 5 times or more.",
        f"People ready to leave hospital spent {f('delayed_bed_days').number()} days there waiting "
        f"({_change(f('delayed_bed_days'))} on the year before): "
        f"{f('delayed_beds').number()} beds occupied every day.",
    ]
    messages += comparison_sentences(ev, covered)
    messages += pressure_sentences(ev)
    return [m for m in messages if m]


def _change(figure) -> str:
    if text.missing(figure.change):
        return "no earlier year to compare"
    return text.change(figure.change).replace("rose by", "up").replace("fell by", "down")


def comparison_sentences(ev: Evidence, covered: Sequence[str]) -> list[str]:
    """Which rates are clearly higher (or lower) than the widest comparator the data
    cover, from the register's interval comparisons; the reason when there is none."""
    versus, column = _versus(ev, covered)
    if versus is None:
        return [
            "The data cover only part of Scotland, so the partnership is not compared with "
            "its NHS board or Scotland here (see the rates table)."
        ]
    register = ev.register(ev.area)
    higher, lower = [], []
    for key in RATES:
        row = register[register["key"] == key]
        if row.empty or column not in row:
            continue
        verdict = row[column].iloc[0]
        name = RATE_NAMES[key]
        if verdict == "higher":
            higher.append(name)
        elif verdict == "lower":
            lower.append(name)
    if not higher and not lower:
        return [f"None of the rates is clearly different from {versus}'s (95% intervals)."]
    parts = []
    if higher:
        parts.append(f"higher than {versus} for {text.join(higher)}")
    if lower:
        parts.append(f"lower for {text.join(lower)}")
    return [f"Against {versus}, {ev.area} is {'; '.join(parts)} (rates outside the 95% interval)."]


def pressure_sentences(ev: Evidence) -> list[str]:
    """The demographic pressure to 2035, from the projections in the register."""
    try:
        demography = ev.figure("projected_bed_days_demography")
        extra = ev.figure("projected_extra_beds_demography")
    except EvidenceError:
        return []
    return [
        f"With today's rates, the population of {demography.period_label} would bring "
        f"{text.number(demography.value, 0)} emergency bed days a year "
        f"({text.signed_percent(demography.change, 0)} on {text.number(demography.previous, 0)}): "
        f"about {extra.number()} more beds at the target occupancy."
    ]


# --- tables ---------------------------------------------------------------------------------


def indicator_table(ev: Evidence) -> pd.DataFrame:
    """The key indicators of the area: the latest 12 months against the 12 before."""
    rows = []
    for key in INDICATORS:
        f = ev.figure(key)
        rows.append(
            {
                "indicator": f.label,
                "period": f.period_label,
                "latest": f.value,
                "previous": f.previous,
                "change": f.change,
            }
        )
    return pd.DataFrame(rows)


INDICATOR_SPEC = {
    "counts": ["latest", "previous"],
    "derived": {"change": ["latest", "previous"]},
    "formats": {"latest": "{:,.0f}", "previous": "{:,.0f}", "change": "{:+.1%}"},
    "labels": {
        "indicator": "Indicator",
        "period": "Period",
        "latest": "Latest 12 months",
        "previous": "12 months before",
        "change": "Change",
    },
}


def rates_table(ev: Evidence, covered: Sequence[str]) -> pd.DataFrame:
    """The rates of every locality, the partnership and the covered comparators: one row
    per area and measure (the count behind each rate beside it)."""
    register = ev.register()  # every area's figures, as published
    areas = [*ev.partnership.localities, ev.partnership.name, *covered]
    rows = register[register["key"].isin(list(RATES)) & register["area"].isin(areas)]
    table = rows.assign(measure=rows["key"].map(RATES))[
        ["measure", "area", "area_type", "count", "value", "lower", "upper"]
    ].astype({"count": "Int64"})
    order = {a: i for i, a in enumerate(areas)}
    table = table.assign(
        _o=table["area"].map(order), _m=table["measure"].map(list(RATES.values()).index)
    )
    return table.sort_values(["_m", "_o"]).drop(columns=["_o", "_m"]).reset_index(drop=True)


RATES_SPEC = {
    "counts": ["count"],
    "derived": {"value": ["count"], "lower": ["count"], "upper": ["count"]},
    "dims": ["measure", "area"],
    "formats": {"value": "{:,.1f}", "lower": "{:,.1f}", "upper": "{:,.1f}"},
    "labels": {
        "measure": "Measure",
        "area": "Area",
        "area_type": "Level",
        "count": "Count",
        "value": "Rate",
        "lower": "Lower 95% CI",
        "upper": "Upper 95% CI",
    },
}


def pressure_table(ev: Evidence) -> pd.DataFrame:
    """Emergency admissions, bed days and beds: the base year and the horizon, with
    demography alone and with the projection scenarios (register keys)."""
    pairs = [
        (
            "Emergency admissions",
            "projection_base_admissions",
            "projected_admissions_demography",
            "projected_admissions",
        ),
        (
            "Emergency bed days",
            "projection_base_bed_days",
            "projected_bed_days_demography",
            "projected_bed_days",
        ),
        ("Beds required", "projection_base_beds_required", None, "projected_beds_required"),
    ]
    rows = []
    for what, base, demography, scenario in pairs:
        b, s = ev.figure(base), ev.figure(scenario)
        d = ev.figure(demography) if demography else None
        rows.append(
            {
                "measure": what,
                "base_year": b.period_label,
                "base": b.value,
                "horizon": s.period_label,
                "demography": None if d is None else d.value,
                "scenarios": s.value,
            }
        )
    return pd.DataFrame(rows)


PRESSURE_SPEC = {
    "counts": ["base"],
    "safe": ["demography", "scenarios"],  # projections: modelled, not counts of people
    "formats": {"base": "{:,.0f}", "demography": "{:,.0f}", "scenarios": "{:,.0f}"},
    "labels": {
        "measure": "Measure",
        "base_year": "Base year",
        "base": "In the base year",
        "horizon": "Horizon",
        "demography": "Population change alone",
        "scenarios": "With the projection scenarios",
    },
}


def delay_reasons(ev: Evidence) -> pd.DataFrame:
    """Delayed bed days of the latest 12 months by reason group (the register's monthly
    table of the area), with each reason's share."""
    monthly = ev.table("delays_monthly")
    monthly = monthly[monthly["area"] == ev.area]
    end = pd.Timestamp(ev.figure("delayed_bed_days").period_end)
    latest = monthly[monthly["month"] > end - pd.DateOffset(months=12)]
    table = latest.groupby("reason_group", observed=True, as_index=False)["bed_days"].sum()
    table["share"] = table["bed_days"] / table["bed_days"].sum()
    return table.sort_values("bed_days", ascending=False).reset_index(drop=True)


DELAY_REASONS_SPEC = {
    "counts": ["bed_days"],
    "derived": {"share": ["bed_days"]},
    "formats": {"share": "{:.1%}"},
    "labels": {
        "reason_group": "Reason for delay",
        "bed_days": "Delayed bed days",
        "share": "Share",
    },
}


def emergency_by_age(ev: Evidence) -> pd.DataFrame:
    """Emergency admissions and bed days of the latest 12 months by age group (from the
    register's stays of the partnership: the area's, counted here, never published)."""
    stays = ev.in_area(ev.table("stays"))
    end = pd.Timestamp(ev.figure("emergency_admissions").period_end)
    start = end - pd.DateOffset(months=12) + pd.Timedelta(days=1)
    recent = stays[stays["emergency"] & stays["admission_date"].between(start, end)]
    table = (
        recent.assign(age_group=measures.age_group(recent["age"]))
        .groupby("age_group", observed=False, as_index=False)
        .agg(admissions=("link_no", "size"), bed_days=("length_of_stay", "sum"))
    )
    table["admission_share"] = table["admissions"] / table["admissions"].sum()
    table["bed_day_share"] = table["bed_days"] / table["bed_days"].sum()
    table["age_group"] = table["age_group"].astype(str)
    return table


AGES_SPEC = {
    "counts": ["admissions", "bed_days"],
    "derived": {"admission_share": ["admissions"], "bed_day_share": ["bed_days"]},
    "formats": {"admission_share": "{:.1%}", "bed_day_share": "{:.1%}"},
    "labels": {
        "age_group": "Age",
        "admissions": "Emergency admissions",
        "bed_days": "Bed days (length of stay)",
        "admission_share": "% of admissions",
        "bed_day_share": "% of bed days",
    },
}


def engagement_table(partnership: Partnership, locality: str | None) -> pd.DataFrame:
    """What people told us (params `engagement`): the area's themes (a locality's own and
    the partnership-wide ones), most often raised first."""
    themes = [
        t for t in partnership.engagement if locality is None or t.locality in (None, locality)
    ]
    table = pd.DataFrame(
        [
            {
                "theme": t.theme,
                "locality": t.locality or "Whole partnership",
                "people": t.people,
                "quotes": " / ".join(f"\u201c{q}\u201d" for q in t.quotes),
                "source": t.source,
            }
            for t in themes
        ],
        columns=["theme", "locality", "people", "quotes", "source"],
    )
    return table.sort_values("people", ascending=False).reset_index(drop=True)


ENGAGEMENT_SPEC = {
    "counts": [],  # engagement responses, not records of care: safe to publish as given
    "labels": {
        "theme": "Theme",
        "locality": "Locality",
        "people": "People who raised it",
        "quotes": "In their words",
        "source": "How it was gathered",
    },
}


def protect_for_sentence(table: pd.DataFrame, spec: dict, threshold: int) -> pd.DataFrame:
    """A table as report.table will publish it, for sentences that quote it."""
    return disclosure.protect(
        table, spec["counts"], threshold=threshold, derived=spec.get("derived")
    ).data
