"""Phase 3 of redesign, the joint implementation plan: the chosen option month by month
(community capacity rising, acute beds closing a ward at a time), the double running
period and its cost, occupied beds against the beds available with the months above
the safe occupancy flagged, the milestones, the monitoring plan (measures, their
control chart baselines, the balancing measures) and the pathway before and after.

The option's beds and pounds are phase 2's (the evidence register's options tables);
the plan starts the month after the report period ends.
"""

from __future__ import annotations

import pandas as pd

from hscp import evaluation, performance, text
from hscp.appraisal import AppraisalSettings, Option
from hscp.evidence import Evidence, EvidenceError
from hscp.workbooks.phase2_options import area_table, top_option

#: The measures that show whether each kind of option works (hscp.performance.MEASURES).
MONITORING = {
    "care_at_home": ("delayed_bed_days", "unscheduled_bed_days", "emergency_length_of_stay"),
    "step_up_beds": ("emergency_admissions_75plus", "unscheduled_bed_days", "emergency_admissions"),
    "fewer_ppa": ("emergency_admissions", "emergency_admission_rate", "unscheduled_bed_days"),
    "discharge_to_assess": ("delayed_bed_days", "emergency_length_of_stay", "unscheduled_bed_days"),
}
#: What an option's capacity counts, for the plan's chart.
CAPACITY = {
    "care_at_home": "Care at home hours a week added",
    "step_up_beds": "Step-up beds open",
    "fewer_ppa": "Share of PPAs avoided",
    "discharge_to_assess": "Share assessed at home",
}


def chosen(ev: Evidence, settings: AppraisalSettings, option: str | None) -> Option:
    """The option the plan is for: `option` (a name from params/scenarios/options.yaml) or,
    by default, the option phase 2 scores best for the area."""
    return settings.option(option or top_option(ev))


def plan_months(option: Option) -> int:
    """The plan runs until a year after the option is fully in place (at least 2 years)."""
    return max(24, option.months_to_full + 12)


def _appraised(ev: Evidence, option: Option) -> pd.Series:
    rows = area_table(ev, "options_appraisal").set_index("option")
    return rows.loc[option.name]


def beds_now(ev: Evidence) -> float:
    """The acute beds the area has: the partnership's current beds (params) or the beds
    its base year needed at the winter peak and target occupancy (projections)."""
    current = ev.partnership.current_beds if ev.locality is None else None
    if current:
        return float(current)
    return float(ev.figure("projection_base_beds_required").value)


def plan(ev: Evidence, option: Option, settings: AppraisalSettings) -> pd.DataFrame:
    """The month-by-month re-provision plan (evaluation.reprovision_plan) from the month
    after the period end, with occupied beds against the beds available."""
    a = _appraised(ev, option)
    start = (ev.end + pd.offsets.MonthBegin(1)).normalize()
    table = evaluation.reprovision_plan(
        start,
        plan_months(option),
        months_to_full=option.months_to_full,
        profile=option.profile,
        community_capacity=option.size,
        community_cost_a_year=float(a["community_reinvestment"]),
        beds_freed=float(a["beds_freed"]),
        ward_size=settings.ward_size,
        bed_cost_a_year=float(a["staffed_bed_cost"]),
        beds_now=beds_now(ev),
        lag=3,
    )
    before = occupied_by_calendar_month(ev)
    occupied = table["month"].dt.month.map(before)
    trajectory = evaluation.bed_trajectory(
        occupied.set_axis(table["month"]),
        table["beds_freed"].set_axis(table["month"]),
        table["beds_available"].set_axis(table["month"]),
        settings.safe_occupancy,
    )
    return table.merge(trajectory.drop(columns="beds_available"), on="month")


def occupied_by_calendar_month(ev: Evidence) -> pd.Series:
    """Average emergency beds occupied in each calendar month of the latest 12 months
    (unscheduled bed days / days in the month): the seasonal baseline the plan runs on."""
    monthly = ev.table("performance_monthly")
    rows = monthly[(monthly["measure"] == "unscheduled_bed_days") & (monthly["area"] == ev.area)]
    rows = rows.sort_values("month").tail(12)
    return pd.Series(
        (rows["numerator"] / rows["days"]).to_numpy(), index=rows["month"].dt.month.to_numpy()
    )


def milestones(option: Option, table: pd.DataFrame) -> pd.DataFrame:
    """The option's milestones (params) at their months of the plan: number, month, label."""
    months = table.set_index("month_number")["month"]
    rows = [
        {"number": i, "month": months.get(m), "plan_month": m, "milestone": label}
        for i, (m, label) in enumerate(option.milestones, start=1)
        if m in months.index
    ]
    return pd.DataFrame(rows, columns=["number", "month", "plan_month", "milestone"])


# --- sentences ---------------------------------------------------------------------------------


def summary(
    ev: Evidence,
    option: Option,
    table: pd.DataFrame,
    settings: AppraisalSettings,
    *,
    named: bool = False,
) -> list[str]:
    """The plan in a few sentences: what, how fast, beds, double running, occupancy.
    `named`: the option was chosen by name (not phase 2's best by default)."""
    a = _appraised(ev, option)
    running = evaluation.double_running(table)
    full = table[table["share"] >= 1]
    why = "the option chosen" if named else "the option phase 2 scores best"
    messages = [
        f"The plan is for {text.lower_first(option.label)}, {why} "
        f"for {ev.area}; it builds up {option.profile} over "
        f"{option.months_to_full} months from {text.month(table['month'].iloc[0])}"
        + (f" and is fully in place by {text.month(full['month'].iloc[0])}." if len(full) else ".")
    ]
    closed = table["beds_closed"].max()
    if closed > 0:
        first = table.loc[table["beds_closed"] > 0, "month"].iloc[0]
        messages.append(
            f"It frees about {text.number(a['beds_freed'], 1)} beds: {text.number(closed, 0)} beds "
            f"({text.number(closed / settings.ward_size, 0)} {text.plural(closed / settings.ward_size, 'ward')}) "
            f"can close from {text.month(first)}, releasing {text.money(table['acute_cost_released'].iloc[-1] * 12)} a year."
        )
    else:
        messages.append(
            f"It frees about {text.number(a['beds_freed'], 1)} beds, fewer than a ward of "
            f"{settings.ward_size}: no ward closes, so the plan keeps the beds and uses the "
            "capacity for the growth to come (phase 2 values it); the community service is paid "
            f"for throughout, {text.money(a['community_reinvestment'])} a year."
        )
    if running.months:
        messages.append(
            f"Double running: {running.months} {text.plural(running.months, 'month')} from "
            f"{text.month(running.first_month)} to {text.month(running.last_month)}, costing "
            f"{text.money(running.cost)} in all."
        )
    over = table[table["over_safe"]]
    if len(over):
        messages.append(
            f"Occupied beds would exceed the safe occupancy ({text.percent(settings.safe_occupancy, 0)}) in "
            f"{len(over)} {text.plural(len(over), 'month')} ({text.join(text.month_short(m) for m in over['month'])}): "
            "plan winter capacity before closing beds."
        )
    else:
        messages.append(
            f"Occupied beds stay below the safe occupancy ({text.percent(settings.safe_occupancy, 0)}) "
            "in every month of the plan, with the winters of the latest year."
        )
    return messages


# --- tables -------------------------------------------------------------------------------------


def plan_table(table: pd.DataFrame) -> pd.DataFrame:
    """The plan by month, for the report."""
    return table[["month", "share", "community_capacity", "beds_freed", "beds_closed",
                  "beds_available", "occupied_beds", "occupancy", "over_safe", "community_cost",
                  "double_running", "acute_cost_released"]]  # fmt: skip


PLAN_SPEC = {
    "counts": [],
    "formats": {
        "share": "{:.0%}",
        "community_capacity": "{:,.2f}",
        "beds_freed": "{:,.1f}",
        "beds_closed": "{:,.0f}",
        "beds_available": "{:,.0f}",
        "occupied_beds": "{:,.0f}",
        "occupancy": "{:.0%}",
        "community_cost": text.POUNDS,
        "double_running": text.POUNDS,
        "acute_cost_released": text.POUNDS,
    },
    "labels": {
        "month": "Month",
        "share": "In place",
        "community_capacity": "Community capacity",
        "beds_freed": "Beds freed",
        "beds_closed": "Beds closed",
        "beds_available": "Beds available",
        "occupied_beds": "Occupied beds",
        "occupancy": "Occupancy",
        "over_safe": "Above safe",
        "community_cost": "Community cost",
        "double_running": "Double running",
        "acute_cost_released": "Acute cost released",
    },
}

MILESTONES_SPEC = {
    "counts": [],
    "formats": {"number": "{:,.0f}", "plan_month": "{:,.0f}"},
    "labels": {
        "number": "",
        "month": "Month",
        "plan_month": "Month of the plan",
        "milestone": "Milestone",
    },  # fmt: skip
}


def _baseline(summary: pd.DataFrame, name: str) -> dict:
    """A measure's current control chart phase: mean, limits and when it began."""
    if name not in summary.index:
        return dict.fromkeys(("baseline_mean", "lower_limit", "upper_limit", "since"))
    s = summary.loc[name]
    return {"baseline_mean": s["mean"], "lower_limit": s["lpl"], "upper_limit": s["upl"],
            "since": s["phase_start"]}  # fmt: skip


def monitoring_table(ev: Evidence, option: Option, settings: AppraisalSettings) -> pd.DataFrame:
    """The measures to track and their current control chart baselines (the latest phase's
    mean and process limits), then the balancing measures to watch."""
    summary = ev.table("performance_summary")
    mine = summary[summary["area"] == ev.area].set_index("measure")
    rows = [
        {"measure": performance.MEASURES[name].label, "role": "outcome",
         "better": performance.MEASURES[name].improvement, **_baseline(mine, name)}
        for name in MONITORING[option.kind]
    ]  # fmt: skip
    rows += [
        {"measure": spec["label"],
         "role": "balancing" + (" (neighbouring localities too)" if spec.get("neighbours") else ""),
         "better": spec.get("improvement", "decrease"), **_baseline(mine, name)}
        for name, spec in settings.balancing_measures.items()
    ]  # fmt: skip
    return pd.DataFrame(rows)


MONITORING_SPEC = {
    "counts": [],
    "formats": {"baseline_mean": "{:,.1f}", "lower_limit": "{:,.1f}", "upper_limit": "{:,.1f}"},
    "labels": {
        "measure": "Measure",
        "role": "Role",
        "better": "Better if it goes",
        "baseline_mean": "Baseline mean (a day)",
        "lower_limit": "Lower limit",
        "upper_limit": "Upper limit",
        "since": "Baseline since",
    },  # fmt: skip
}


def pathway_table(ev: Evidence, option: Option) -> pd.DataFrame:
    """People aged 65+ in each setting on an average day, today and with the option."""
    rows = area_table(ev, "options_pathway")
    rows = rows[rows["option"] == option.name].drop(columns="option")
    return rows.assign(change=rows["with_option"] - rows["do_nothing"])


PATHWAY_SPEC = {
    "counts": [],
    "formats": {"do_nothing": "{:,.1f}", "with_option": "{:,.1f}", "change": "{:+,.1f}"},
    "labels": {
        "setting": "Where people are",
        "do_nothing": "Today",
        "with_option": "With the option",
        "change": "Change",
    },  # fmt: skip
}


def pathway_sentence(ev: Evidence, option: Option) -> str:
    """Where the pathway changes most for the people who go through it."""
    table = pathway_table(ev, option)
    moved = table.reindex(table["change"].abs().sort_values(ascending=False).index).head(3)
    parts = [
        f"{text.lower_first(r.setting)} {'up' if r.change > 0 else 'down'} "
        f"{text.number(abs(r.change), 1)}"
        for r in moved.itertuples()
        if abs(r.change) >= 0.05
    ]
    if not parts:
        return "The option hardly changes where people are on an average day."
    return (
        f"On an average day, with {text.lower_first(option.label)}: {text.join(parts)} people "
        "(aged 65+). The pathway should feel seamless where people move from hospital to the "
        "new service: that is where the plan's hand-offs need most care."
    )


# --- figures ------------------------------------------------------------------------------------


def plan_figure_args(ev: Evidence, option: Option, table: pd.DataFrame) -> dict:
    over = int(table["over_safe"].sum())
    title = f"The plan for {ev.area}: {text.lower_first(option.label)}, month by month" + (
        f"; {over} months above the safe occupancy" if over else ""
    )
    return {
        "data": table[
            ["month", "community_capacity", "occupied_beds", "beds_available", "over_safe"]
        ],  # fmt: skip
        "milestones": milestones(option, table)[["month", "milestone"]].rename(
            columns={"milestone": "label"}
        ),
        "capacity_label": CAPACITY[option.kind],
        "title": title,
        "alt": "Two panels by month: the new community capacity rising to its full size, and "
        "the acute beds occupied on an average day against the beds available, with numbered "
        "milestone lines.",
        "counts": [],
    }


def no_plan_reason(err: EvidenceError) -> str:
    return f"No implementation plan: {err}"
