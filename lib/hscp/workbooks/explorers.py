"""The tables behind the notebooks' explorers (hscp.widgets.explorer): an area, a
measure, a period and a value, from what a notebook has computed or can compute from
the data it has loaded."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from hscp.geography import Partnership
from hscp.widgets import Series


def areas_of(partnership: Partnership) -> list[str]:
    """The whole partnership first, then its localities."""
    return [partnership.name, *partnership.localities]


def chosen_area(partnership: Partnership, locality: str | None) -> str:
    return locality or partnership.name


def monthly_measures_series(
    monthly: pd.DataFrame,
    partnership: Partnership,
    locality: str | None,
    measures: Sequence[str] | None = None,
) -> Series:
    """Performance's monthly measures (performance.monthly_measures, or its control
    charts with their mean and limits) as an explorer's table, each measure labelled
    with its unit ("Emergency admissions (emergency admissions a day)")."""
    from hscp.performance import MEASURES

    names = [m for m in (measures or MEASURES) if m in set(monthly["measure"])]
    t = monthly[monthly["measure"].isin(names)].copy()
    label = {name: f"{MEASURES[name].label} ({MEASURES[name].unit.lower()})" for name in names}
    t["measure"] = pd.Categorical(t["measure"].map(label), categories=[label[n] for n in names])
    t = t.sort_values(["measure", "area", "month"]).rename(columns={"month": "period"})
    t["measure"] = t["measure"].astype(str)
    keep = ["area", "measure", "period", "value"]
    keep += [c for c in ("mean", "lpl", "upl") if c in t.columns]
    return Series(t[keep], areas_of(partnership), chosen_area(partnership, locality))


def report_monthly_measures(rpt) -> pd.DataFrame:
    """performance.monthly_measures for the report's partnership, period and data."""
    from hscp import performance

    d = rpt.data
    return performance.monthly_measures(
        d.episodes(), d.ae_attendances(), d.delays(), d.population(), rpt.partnership,
        rpt.start, rpt.end, data_end=d.store.period[1], provisional_from=rpt.provisional_from,
    )  # fmt: skip


#: The unscheduled care report's measures, in the explorer's order.
UNSCHEDULED_MEASURES = (
    "emergency_admissions",
    "emergency_admission_rate",
    "emergency_admissions_75plus",
    "unscheduled_bed_days",
    "emergency_length_of_stay",
    "readmission_rate",
    "ae_attendances",
    "ae_4_hour_percent",
)


def unscheduled_care(rpt) -> Series:
    """Emergency admissions, bed days, length of stay, readmissions and A&E by month."""
    return monthly_measures_series(
        report_monthly_measures(rpt), rpt.partnership, rpt.locality, UNSCHEDULED_MEASURES
    )


#: The delayed discharges explorer's measures: average delayed beds a day (PHS rules,
#: code 100 excluded) for each group of reasons and for people aged 75+.
DELAY_GROUPS = {
    "All reasons": None,
    "Health and social care reasons": ("reason_group", "Health and Social Care Reasons"),
    "Patient, carer and family-related reasons": (
        "reason_group",
        "Patient/Carer/Family-related Reasons",
    ),
    "Code 9 (complex reasons)": ("reason_group", "Code 9"),
    "People aged 75+": ("age_group", "75+"),
}


def delayed_discharges(rpt) -> Series:
    """Average delayed beds a day by month, by reason group and for people 75+, for the
    partnership and each locality (the store's delayed bed days comparator)."""
    p = rpt.partnership
    c = rpt.data.store.comparator("delayed_bed_days")
    c = c[(c["hscp2019"] == p.code)].copy()
    c["month"] = pd.to_datetime(c["month"])
    c = c[c["month"].between(rpt.start, rpt.end)]
    months = pd.date_range(rpt.start.to_period("M").to_timestamp(), rpt.end, freq="MS")
    parts = []
    for label, rule in DELAY_GROUPS.items():
        rows = c if rule is None else c[c[rule[0]] == rule[1]]
        by_locality = rows.groupby(["locality", "month"])["bed_days"].sum()
        whole = by_locality.groupby(level="month").sum()
        frames = {p.name: whole} | {
            loc: by_locality.xs(loc, level="locality") if loc in by_locality.index.get_level_values(0)
            else pd.Series(dtype=float)
            for loc in p.localities
        }  # fmt: skip
        for area, bed_days in frames.items():
            bed_days = bed_days.reindex(months, fill_value=0)
            parts.append(pd.DataFrame({
                "area": area, "measure": label, "period": months,
                "value": bed_days.to_numpy() / months.days_in_month,
            }))  # fmt: skip
    table = pd.concat(parts, ignore_index=True)
    return Series(table, areas_of(p), chosen_area(p, rpt.locality), "Average delayed beds a day")


def integration_indicators(control: pd.DataFrame, partnership: Partnership, locality) -> Series:
    """The MSG indicators' control charts (per day, or a percentage for MSG5)."""
    from hscp.workbooks.integration_indicators import MONTHLY

    t = control.copy()
    t["measure"] = t["indicator"].map(
        {k: f"{i.label} ({i.unit.lower()})" for k, i in MONTHLY.items()}
    )
    t = t.rename(columns={"month": "period"})
    keep = ["area", "measure", "period", "value"]
    keep += [c for c in ("mean", "lpl", "upl") if c in t.columns]
    return Series(t[keep], areas_of(partnership), chosen_area(partnership, locality))


#: The projections explorer's measures: (label, column of projection.yearly_table).
PROJECTED = {
    "Emergency admissions (the scenario)": "admissions",
    "Emergency admissions (population change alone)": "demography_admissions",
    "Emergency bed days (the scenario)": "bed_days",
    "Emergency bed days (population change alone)": "demography_bed_days",
    "Average occupied beds": "average_occupied_beds",
    "Beds required (at the target occupancy)": "beds_required",
}


def projections(results) -> Series:
    """Every area's projection by financial year (workbooks.projections.Results)."""
    from hscp import projection

    parts = []
    for a in results.areas:
        yearly = projection.yearly_table(a)
        for label, column in PROJECTED.items():
            parts.append(pd.DataFrame({
                "area": a.area, "measure": label, "period": yearly["financial_year"],
                "value": pd.to_numeric(yearly[column], errors="coerce"),
            }))  # fmt: skip
    table = pd.concat(parts, ignore_index=True)
    areas = [a.area for a in results.areas]
    return Series(table, areas, results.area.area, period_name="Years")
