"""An options appraisal from the effects: community services and staff needed, cash
release and net present value per option, and the options table for consultation."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from hscp.appraisal.finance import (
    CashRelease,
    beds_freed,
    cash_flows,
    cash_release,
    double_running_cost,
    phase_by_year,
)
from hscp.appraisal.scoring import weighted_scores
from hscp.appraisal.settings import AppraisalError, AppraisalSettings, Option

#: Staff per unit of each community service: (column of places or hours, staffing key).
_STAFF = {
    "wte_care_at_home": "care_at_home_hours_per_wte",
    "wte_intermediate_care": "intermediate_care_wte_per_place",
    "wte_care_home": "care_home_wte_per_place",
    "wte_discharge_to_assess": "discharge_to_assess_wte_per_place",
    "wte_anticipatory_care": "ppa_wte_per_100_admissions_avoided",
}


def _one_row_each(effects: pd.DataFrame, options: Sequence[Option]) -> pd.DataFrame:
    if "population_year" in effects and effects["population_year"].notna().any():
        effects = effects[effects["population_year"].isna()]
    rows = effects.set_index("option")
    missing = [o.name for o in options if o.name not in rows.index]
    if missing:
        raise AppraisalError(f"no effects (observed year) for the options {missing}")
    if rows.index.duplicated().any():
        raise AppraisalError("effects: more than one row for an option")
    return rows


def community_requirements(
    effects: pd.DataFrame, options: Sequence[Option], settings: AppraisalSettings
) -> pd.DataFrame:
    """The community services and staff (whole-time equivalents) each option needs.

    Capacity bought: care at home hours a week (care_at_home: its size), intermediate
    care places (step_up_beds: its size); from the model: people being assessed at
    home on an average day (discharge_to_assess) and the change in people living in
    care homes. Staff: hours / hours a WTE gives; places x WTE per place; PPA work:
    admissions avoided / 100 x WTE per 100 (ratios from params, each with its source).
    """
    rows = _one_row_each(effects, options)
    ratio = {k: f.value for k, f in settings.staffing.items()}
    out = []
    for option in options:
        e = rows.loc[option.name]
        hours = option.size if option.kind == "care_at_home" else 0.0
        beds = option.size if option.kind == "step_up_beds" else 0.0
        d2a = max(float(e.get("discharge_to_assess_places", 0.0)), 0.0)
        care_home = max(float(e.get("care_home_places", 0.0)), 0.0)
        ppa = max(float(e["admissions_avoided"]), 0.0) if option.kind == "fewer_ppa" else 0.0
        row = {
            "option": option.name,
            "care_at_home_hours_per_week": hours,
            "intermediate_care_places": beds,
            "care_home_places": care_home,
            "discharge_to_assess_places": d2a,
            "wte_care_at_home": hours / ratio["care_at_home_hours_per_wte"],
            "wte_intermediate_care": beds * ratio["intermediate_care_wte_per_place"],
            "wte_care_home": care_home * ratio["care_home_wte_per_place"],
            "wte_discharge_to_assess": d2a * ratio["discharge_to_assess_wte_per_place"],
            "wte_anticipatory_care": ppa / 100 * ratio["ppa_wte_per_100_admissions_avoided"],
        }
        row["wte_total"] = sum(row[k] for k in _STAFF)
        out.append(row)
    return pd.DataFrame(out)


def appraise(
    effects: pd.DataFrame, options: Sequence[Option], settings: AppraisalSettings
) -> pd.DataFrame:
    """Cash release and net present value of each option, from its effects in the
    observed year (flow_effects, population year empty).

    Per option: beds freed (central, low, high), the CashRelease fields at the
    central bed days (community reinvestment = the model's cost of the services a
    year; double running = that cost x double_running_months / 12), and the net
    present value over the appraisal period at the option's build-up (phase_by_year),
    with npv_low / npv_high at the low and high bed days (the same cost).
    """
    rows = _one_row_each(effects, options)
    out = []
    for option in options:
        e = rows.loc[option.name]
        community = float(e["community_cost"])
        phase = phase_by_year(option.months_to_full, option.profile, settings.period_years)
        central, low, high = (
            _release(float(e[column]), community, settings)
            for column in ("bed_days_avoided", "bed_days_avoided_low", "bed_days_avoided_high")
        )
        row = {"option": option.name, "label": option.label, **central.__dict__}
        for end, r in (("low", low), ("high", high)):
            row[f"bed_days_avoided_{end}"] = r.bed_days_avoided
            row[f"beds_freed_{end}"] = r.beds_freed
            row[f"wards_closed_{end}"] = r.wards_closed
            row[f"recurrent_net_cash_release_{end}"] = r.recurrent_net_cash_release
        for suffix, r in (("", central), ("_low", low), ("_high", high)):
            flows = cash_flows(r, settings.period_years, phase=phase, rate=settings.discount_rate)
            row[f"npv{suffix}"] = float(flows["present_value"].sum())
        out.append(row)
    return pd.DataFrame(out)


def _release(bed_days: float, community: float, settings: AppraisalSettings) -> CashRelease:
    return cash_release(
        bed_days,
        average_cost=settings.average_bed_day.value,
        marginal_share=settings.marginal_share.value,
        community_cost=community,
        double_running=double_running_cost(community, settings.double_running_months),
        ward_size=settings.ward_size,
        target_occupancy=settings.target_occupancy,
    )


def options_table(
    appraisal: pd.DataFrame,
    requirements: pd.DataFrame,
    options: Sequence[Option],
    settings: AppraisalSettings,
) -> pd.DataFrame:
    """One row per option for consultation with communities and service users: what it
    is, what it needs, what it does to hospital beds, what it costs and saves, and its
    weighted score and rank. Numbers only (the sentences come from the workbook)."""
    scores = weighted_scores(settings.scores(list(options)), settings.weights)
    table = pd.DataFrame(
        {
            "option": [o.name for o in options],
            "label": [o.label for o in options],
            "description": [o.description for o in options],
        }
    )
    table = table.merge(
        requirements[
            [
                "option",
                "care_at_home_hours_per_week",
                "intermediate_care_places",
                "discharge_to_assess_places",
                "wte_total",
            ]
        ],
        on="option",
    )
    money = appraisal[
        [
            "option",
            "bed_days_avoided",
            "bed_days_avoided_low",
            "bed_days_avoided_high",
            "beds_freed",
            "beds_freed_low",
            "beds_freed_high",
            "wards_closed",
            "community_reinvestment",
            "recurrent_net_cash_release",
            "capacity_value",
            "npv",
            "npv_low",
            "npv_high",
        ]
    ]
    table = table.merge(money, on="option").merge(
        scores[["option", "weighted_score", "rank"]], on="option"
    )
    return table.sort_values("rank", kind="stable").reset_index(drop=True)


def beds_freed_by_year(projection: pd.DataFrame, target_occupancy: float) -> pd.DataFrame:
    """projection_effects with beds freed at the target occupancy (median and 80% range)."""
    out = projection.copy()
    for p in ("p10", "p50", "p90"):
        out[f"beds_freed_{p}"] = beds_freed(out[f"bed_days_avoided_{p}"], target_occupancy)
    return out
