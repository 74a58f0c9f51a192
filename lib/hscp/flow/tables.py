"""Tables for the report: the calibration, the scenarios, waiting lists, ranking, assumptions."""

from __future__ import annotations

import pandas as pd

from hscp.flow.calibration import Calibration
from hscp.flow.pathway import DELAY_GROUP_LABELS, DELAY_GROUPS


def calibration_table(calibration: Calibration) -> pd.DataFrame:
    """What the model takes from the area's data and what follows from it: measure,
    in_the_year (the count behind it, where there is one), value, unit."""
    obs, p, days = calibration.observed, calibration.params, calibration.observed.days
    rows = [
        ("Emergency admissions of people 65+", obs.admissions * days, obs.admissions, "a day"),
        ("Population aged 65+", None, obs.population_65plus(), "people, average"),
        (
            "Acute beds occupied by them",
            obs.occupied_beds * days,
            obs.occupied_beds,
            "beds, average",
        ),
        ("Treatment length of stay", None, p["los_treatment"], "days"),
        ("Deaths in hospital", obs.deaths_in_hospital * days, obs.deaths_in_hospital, "a day"),
        (
            "Readmitted as an emergency within 28 days",
            None,
            obs.readmission_share,
            "share of discharges home",
        ),
        ("Potentially preventable admissions", None, obs.ppa_share, "share of admissions"),
    ]
    for g in DELAY_GROUPS:
        w, lam = obs.delayed_beds.get(g, 0.0), obs.delays_started.get(g, 0.0)
        rows.append((f"Delayed waiting for {DELAY_GROUP_LABELS[g]}", w * days, w, "beds, average"))
        if w > 0 and lam > 0:
            rows.append((f"  average wait for {DELAY_GROUP_LABELS[g]}", None, w / lam, "days"))
    for s in ("care_home", "care_at_home", "intermediate_care"):
        rows.append(
            (
                f"Share of the wait for {DELAY_GROUP_LABELS[s]} that is for lack of a place",
                None,
                calibration.capacity_share[s],
                "share of the wait",
            )
        )
    rows += [
        ("Care home places (people 65+)", None, p["care_home_capacity"], "places"),
        ("Care at home hours a week (people 65+)", None, p["care_at_home_hours"], "hours"),
        ("Intermediate care beds", None, p["intermediate_care_capacity"], "beds"),
        (
            "Waiting at home for a care home place (modelled)",
            None,
            p["initial_waiting_care_home"],
            "people",
        ),
        (
            "Waiting at home for care at home (modelled)",
            None,
            p["initial_waiting_care_at_home"],
            "people",
        ),
        (
            "In step-up intermediate care (modelled)",
            None,
            p["initial_intermediate_care_step_up"],
            "people",
        ),
    ]
    out = pd.DataFrame(rows, columns=["measure", "in_the_year", "value", "unit"])
    out["in_the_year"] = pd.to_numeric(out["in_the_year"]).round().astype("Int64")
    out["value"] = [_shown(v, u) for v, u in zip(out["value"], out["unit"], strict=True)]
    return out


def _shown(value: float, unit: str) -> str:
    """A calibration value as a reader wants it: shares as %, people and places whole."""
    if unit.startswith("share"):
        return f"{100 * value:.1f}%"
    if unit in ("people", "people, average", "places", "hours"):
        return f"{value:,.0f}"
    if unit in ("days", "beds"):
        return f"{value:,.1f}"
    return f"{value:,.2f}"


def scenario_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Scenarios side by side: beds, delayed bed days, admissions, waiting lists, cost."""
    return pd.DataFrame(
        {
            "Scenario": summary["label"],
            "Acute beds occupied": summary["occupied_beds"],
            "Delayed beds": summary["delayed_beds"],
            "Delayed bed days": _whole(summary["delayed_bed_days"]),
            "Emergency admissions": _whole(summary["emergency_admissions"]),
            "Waiting at home for a care home place": summary["waiting_care_home"],
            "Waiting at home for care at home": summary["waiting_care_at_home"],
            "Cost of services (£m)": summary["cost_services"] / 1e6,
        }
    )


#: waiting_table's columns of delayed bed days in hospital (counts, for disclosure control).
WAITING_IN_HOSPITAL = tuple(
    f"In hospital for {DELAY_GROUP_LABELS[g].split(' (')[0]} (bed days)" for g in DELAY_GROUPS
)


def waiting_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The waiting list for each service: in hospital as delayed bed days in the year (by
    what the delay waits for), and at home as people waiting on an average day."""
    out = {"Scenario": summary["label"]}
    for g, column in zip(DELAY_GROUPS, WAITING_IN_HOSPITAL, strict=True):
        out[column] = _whole(summary[f"delayed_bed_days_{g}"])
    out["At home for a care home place (people)"] = summary["waiting_care_home"]
    out["At home for care at home (people)"] = summary["waiting_care_at_home"]
    return pd.DataFrame(out)


def ranking_table(ranked: pd.DataFrame) -> pd.DataFrame:
    """value_for_money's options for the report, best first."""
    return pd.DataFrame(
        {
            "Change": ranked["label"],
            # in thousands, as phase 2: a sum of whole pounds can equal a record identifier
            "Cost a year (£ thousands)": _whole(ranked["cost"] / 1000),
            "Delayed bed days avoided": _whole(ranked["delayed_bed_days_avoided"]),
            "Change in delayed bed days": ranked["delayed_bed_days_change"],
            "Beds freed": ranked["occupied_beds_freed"],
            "Delayed bed days avoided per £1,000": ranked["bed_days_per_1000"],
            "Beds freed per £1 million": ranked["beds_per_million"],
        }
    )


def assumptions_table(calibration: Calibration) -> pd.DataFrame:
    """The values the model does not take from the area's data, and their sources."""
    s = calibration.settings
    a, costs, sources = s.assumptions, s.unit_costs, s.sources
    c = calibration.capacities

    def shares(d):
        return ", ".join(f"{k.replace('_', ' ')} {100 * v:.0f}%" for k, v in d.items())

    rows = [
        (
            "Care home places (this area)",
            f"{c['care_home_places']:,.0f}",
            calibration.capacity_sources.get("care_home_places")
            or sources.get("care_home_places", ""),
        ),
        (
            "Care at home hours a week (this area)",
            f"{c['care_at_home_hours_per_week']:,.0f}",
            calibration.capacity_sources.get("care_at_home_hours_per_week")
            or sources.get("care_at_home_hours_per_week", ""),
        ),
        (
            "Intermediate care beds (this area)",
            f"{c['intermediate_care_beds']:,.1f}",
            sources.get("intermediate_care_beds", ""),
        ),
        (
            "Average care home stay",
            f"{a['care_home_length_of_stay']:,} days",
            sources.get("care_home_length_of_stay", ""),
        ),
        (
            "Average care at home package",
            f"{a['care_at_home_length_of_stay']:,} days",
            sources.get("care_at_home_length_of_stay", ""),
        ),
        (
            "Care at home packages ending in death",
            f"{100 * a['care_at_home_died_share']:.0f}%",
            sources.get("care_at_home_died_share", ""),
        ),
        (
            "Care at home hours a week per person",
            f"{a['hours_per_package']}",
            sources.get("hours_per_package", ""),
        ),
        (
            "Step-down intermediate care stay",
            f"{a['step_down_length_of_stay']} days",
            sources.get("step_down_length_of_stay", ""),
        ),
        (
            "Step-up intermediate care stay",
            f"{a['step_up_length_of_stay']} days",
            sources.get("step_up_length_of_stay", ""),
        ),
        (
            "After step-down",
            shares(a["step_down_shares"]),
            sources.get("step_down_shares", "Assumption"),
        ),
        ("After step-up", shares(a["step_up_shares"]), sources.get("step_up_shares", "Assumption")),
        (
            "Admissions that step-up could replace",
            f"{100 * a['step_up_share_of_admissions']:.0f}%",
            sources.get("step_up_share_of_admissions", ""),
        ),
        (
            "Time assessed at home after discharge",
            f"{a['assessment_days_at_home']} days",
            sources.get("assessment_days_at_home", ""),
        ),
        (
            "Deaths a year, people 65+ at home",
            f"{100 * a['community_mortality_per_year']:.1f}%",
            sources.get("community_mortality_per_year", ""),
        ),
        (
            "Deaths a year, people waiting at home",
            f"{100 * a['waiting_mortality_per_year']:.0f}%",
            sources.get("waiting_mortality_per_year", ""),
        ),
        (
            "Time to arrange a service from home",
            ", ".join(
                f"{k.replace('_', ' ')} {v} days" for k, v in a["home_arrangement_days"].items()
            ),
            sources.get("home_arrangement_days", ""),
        ),
        (
            "Share of waits for lack of a place",
            ", ".join(
                f"{k.replace('_', ' ')} {100 * v:.0f}%"
                for k, v in calibration.capacity_share.items()
            ),
            sources.get("capacity_share", ""),
        ),
        ("Acute bed day", f"£{costs['acute_bed_day']:,.0f}", sources.get("acute_bed_day", "")),
        ("Care home week", f"£{costs['care_home_week']:,.0f}", sources.get("care_home_week", "")),
        (
            "Care at home hour",
            f"£{costs['care_at_home_hour']:,.0f}",
            sources.get("care_at_home_hour", ""),
        ),
        (
            "Intermediate care bed day",
            f"£{costs['intermediate_care_bed_day']:,.0f}",
            sources.get("intermediate_care_bed_day", ""),
        ),
        (
            "Discharge to assess day",
            f"£{costs['discharge_to_assess_day']:,.0f}",
            sources.get("discharge_to_assess_day", ""),
        ),
        (
            "Avoiding a preventable admission",
            f"£{costs['ppa_avoided_admission']:,.0f}",
            sources.get("ppa_avoided_admission", ""),
        ),
        (
            "A bed day saved by shorter stays",
            f"£{costs['los_bed_day_saved']:,.0f}",
            sources.get("los_bed_day_saved", ""),
        ),
    ]
    return pd.DataFrame(rows, columns=["Value", "Used", "Source"])


def _whole(values: pd.Series) -> pd.Series:
    """Rounded to whole numbers (shown without decimals; missing stays missing)."""
    return pd.to_numeric(values).round().astype("Int64")
