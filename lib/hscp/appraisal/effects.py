"""Each option's effect on acute beds: through the calibrated system dynamics model now
(and in a future year's population), and through the projections year by year to the
horizon, each with a range rather than a single number.

System dynamics (hscp.flow, people aged 65+): an option sets the model's levers
(`option_levers`): care at home hours a week added / the area's hours =
care_at_home_increase; step-up beds added / the area's intermediate care beds =
intermediate_care_increase (the model's intermediate care beds serve step-up and
step-down alike); fewer_ppa = ppa_avoided; discharge_to_assess =
discharge_to_assess_share. Each option runs at its size, low and high, against the
baseline of the same population year; with `uncertainty`, its size also runs with
each of the model's uncertain values at its low and high end (flow.scenarios.sensitivity,
recalibrated each time). The range is the lowest and highest effect of all these runs.

Projections (hscp.projection, all ages): the option's effect on bed days in the
observed year, as a share of the base year's emergency bed days, becomes a projection
scenario (`projection_scenario`): PPAs avoided for fewer_ppa (a share of the PPA bed
days), shorter stays (a length of stay change) for the others, its 80% interval
centred on the effect at the option's size and as wide as the range, with the
option's build-up as its profile. Monte Carlo runs with and
without it, with the same seed, give the bed days avoided each year (paired runs).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from hscp.appraisal.settings import AppraisalError, AppraisalSettings, Option
from hscp.conventions.financial_years import days_in_financial_year, financial_year_label
from hscp.flow import scenarios as flow_scenarios
from hscp.flow.calibration import Calibration
from hscp.projection.area import AreaProjection
from hscp.projection.monte_carlo import monte_carlo
from hscp.projection.scenarios import Scenario

#: What each effect column is, as the flow's value_for_money names it.
FLOW_COLUMNS = {
    "occupied_beds_freed": "occupied_beds_freed",
    "delayed_bed_days_avoided": "delayed_bed_days_avoided",
    "admissions_avoided": "admissions_avoided",
    "community_cost": "cost",
}
#: The projection scenario each kind of option becomes.
PROJECTION_KIND = {
    "care_at_home": "length_of_stay",
    "step_up_beds": "length_of_stay",
    "discharge_to_assess": "length_of_stay",
    "fewer_ppa": "ppa_avoidance",
}


def option_levers(option: Option, calibration: Calibration, size: float | None = None) -> dict:
    """The system dynamics levers of an option at `size` (default its size).

    Hours and beds are added to the area's capacity in the calibration (its care at
    home hours a week and intermediate care beds), so the lever is added / current.
    """
    size = option.size if size is None else float(size)
    p = calibration.params
    if option.kind == "care_at_home":
        current = float(p["care_at_home_hours"])
        if current <= 0:
            raise AppraisalError(f"{calibration.area}: no care at home hours to add {size:g} to")
        return {"care_at_home_increase": size / current}
    if option.kind == "step_up_beds":
        current = float(p["intermediate_care_capacity"])
        if current <= 0:
            raise AppraisalError(
                f"{calibration.area}: the model has no intermediate care beds to add "
                f"{size:g} to; give the partnership's capacities in its params file"
            )
        return {"intermediate_care_increase": size / current}
    if option.kind == "fewer_ppa":
        return {"ppa_avoided": size}
    return {"discharge_to_assess_share": size}


def _lever_sets(options, calibration, population_year):
    extra = {"population_year": population_year} if population_year else {}
    base = flow_scenarios.LeverSet(
        f"do_nothing@{population_year or 'now'}", "Do nothing", dict(extra), rank=False
    )
    sets = {}
    for option in options:
        for end, size in (("size", option.size), ("low", option.low), ("high", option.high)):
            levers = {**option_levers(option, calibration, size), **extra}
            sets[(option.name, end)] = flow_scenarios.LeverSet(
                f"{option.name}:{end}@{population_year or 'now'}", option.label, levers
            )
    return base, sets


def _effects(rows: pd.DataFrame, base: pd.Series, days: int) -> pd.DataFrame:
    out = pd.DataFrame(index=rows.index)
    out["occupied_beds_freed"] = base["occupied_beds"] - rows["occupied_beds"]
    out["bed_days_avoided"] = out["occupied_beds_freed"] * days
    out["delayed_bed_days_avoided"] = base["delayed_bed_days"] - rows["delayed_bed_days"]
    out["admissions_avoided"] = base["emergency_admissions"] - rows["emergency_admissions"]
    out["community_cost"] = rows["cost_services"] - base["cost_services"]
    out["discharge_to_assess_places"] = rows["Discharge to assess"] - base["Discharge to assess"]
    out["care_home_places"] = rows["Care home"] - base["Care home"]
    return out


def flow_effects(
    calibration: Calibration,
    options: Sequence[Option],
    *,
    population_years: Sequence[int | None] = (None,),
    uncertainty: bool = False,
) -> pd.DataFrame:
    """Each option's effect in the system dynamics model, for each population year.

    None is the observed year's population; a year (e.g. 2035) runs the NRS projected
    population of that year with today's services, option and do-nothing alike. One
    row per option and population year: option, label, population_year, the effects
    at the option's size (occupied_beds_freed, bed_days_avoided, delayed_bed_days_avoided,
    admissions_avoided, community_cost a year, discharge_to_assess_places and
    care_home_places: the change in people assessed at home and in care homes) and
    bed_days_avoided_low / _high and occupied_beds_freed_low / _high (module docstring).
    Beds are averages on a day, the rest totals over the year (people aged 65+).
    """
    if not options:
        raise AppraisalError("no options to run")
    days = calibration.observed.days
    rows = []
    for year in population_years:
        base, sets = _lever_sets(options, calibration, year)
        runs = [base, *sets.values()]
        summary = flow_scenarios.summarise(
            calibration, flow_scenarios.run_scenarios(calibration, runs), runs
        ).set_index("scenario")
        effects = _effects(summary.drop(index=base.name), summary.loc[base.name], days)
        spread = {
            o.name: list(
                effects.loc[[sets[(o.name, e)].name for e in ("low", "high")], "bed_days_avoided"]
            )
            for o in options
        }
        if uncertainty:
            for name, values in _uncertain_effects(calibration, options, sets, base, year).items():
                spread[name] += values
        for option in options:
            central = effects.loc[sets[(option.name, "size")].name]
            values = [central["bed_days_avoided"], *spread[option.name]]
            rows.append(
                {
                    "option": option.name,
                    "label": option.label,
                    "population_year": year,
                    **central.to_dict(),
                    "bed_days_avoided_low": min(values),
                    "bed_days_avoided_high": max(values),
                    "occupied_beds_freed_low": min(values) / days,
                    "occupied_beds_freed_high": max(values) / days,
                }
            )
    out = pd.DataFrame(rows)
    out["population_year"] = out["population_year"].astype("Int64")
    return out


def _uncertain_effects(calibration, options, sets, base, year) -> dict[str, list[float]]:
    """Bed days avoided by each option (at its size) with each uncertain value at its low
    and high end: the flow's sensitivity runs, paired with the do-nothing of each."""
    central = [sets[(o.name, "size")] for o in options]
    table = flow_scenarios.sensitivity(
        calibration.observed, calibration.settings, calibration.capacities, [base, *central]
    )
    days = calibration.observed.days
    out: dict[str, list[float]] = {o.name: [] for o in options}
    for _, variant in table.groupby(["parameter", "end"], sort=False):
        by_name = variant.set_index("scenario")
        for option, lever_set in zip(options, central, strict=True):
            freed = (
                by_name.loc[base.name, "occupied_beds"]
                - by_name.loc[lever_set.name, "occupied_beds"]
            )
            out[option.name].append(float(freed * days))
    return out


def projection_scenario(
    option: Option,
    bed_days_avoided: float,
    bed_days_avoided_low: float,
    bed_days_avoided_high: float,
    demography: pd.DataFrame,
    base_year: int,
    *,
    start: int | None = None,
) -> Scenario:
    """The option as a projection scenario: its effect now, as a share of the base year.

    fewer_ppa: the share of PPAs avoided = bed days avoided / the base year's PPA bed
    days (ppa_avoidance); the others: the length of stay change = -bed days avoided /
    the base year's emergency bed days (length_of_stay). The scenario's 80% interval is
    centred on the effect at the option's size, as wide as its range (high - low), so
    the projection's central value is the system dynamics model's number; phased in
    from `start` (default the year after the base year) with the option's profile over
    ceil(months_to_full / 12) years.
    """
    base = demography.set_index("year")
    if base_year not in base.index:
        raise AppraisalError(f"the projection has no base year {base_year}")
    kind = PROJECTION_KIND[option.kind]
    whole = float(base.loc[base_year, "ppa_bed_days" if kind == "ppa_avoidance" else "bed_days"])
    if whole <= 0:
        what = "PPA bed days" if kind == "ppa_avoidance" else "bed days"
        raise AppraisalError(f"no {what} in the base year {base_year}")
    centre = bed_days_avoided / whole
    half = abs(bed_days_avoided_high - bed_days_avoided_low) / whole / 2
    low, high = centre - half, centre + half
    if kind == "length_of_stay":
        low, high = -high, -low
    first = base_year + 1 if start is None else start
    end = first + math.ceil(option.months_to_full / 12) - 1
    return Scenario(kind, option.label, low, high, profile=option.profile, start=first, end=end)


def projection_effects(
    demography: pd.DataFrame,
    counterfactual: Sequence[Scenario],
    option_scenarios: Mapping[str, Scenario],
    base_year: int,
    horizon: int,
    *,
    runs: int,
    seed: int,
) -> pd.DataFrame:
    """Bed days and average occupied beds each option avoids, each year to the horizon.

    For each option: Monte Carlo runs of demography with the counterfactual scenarios,
    and with them plus the option's scenario, from the same seed (the option's draws
    come last, so the counterfactual's draws are the same in both); bed days avoided
    = counterfactual - with option, run by run. Columns: option, year, financial_year,
    bed_days_avoided_p10/_p50/_p90, occupied_beds_freed_p10/_p50/_p90 (bed days /
    days in the financial year), bed_days_counterfactual and bed_days_with_option
    (medians).
    """
    names = {s.name for s in counterfactual}
    years = demography["year"].to_numpy()
    days = days_in_financial_year(years)
    without = monte_carlo(demography, counterfactual, base_year, horizon, runs=runs, seed=seed)
    parts = []
    for option, scenario in option_scenarios.items():
        if scenario.name in names:
            raise AppraisalError(
                f"option {option!r} changes {scenario.name}, which the counterfactual already "
                "has; leave it out of appraisal.counterfactual_scenarios"
            )
        with_option = monte_carlo(
            demography, [*counterfactual, scenario], base_year, horizon, runs=runs, seed=seed
        )
        avoided = without.bed_days - with_option.bed_days
        p10, p50, p90 = np.percentile(avoided, [10, 50, 90], axis=0)
        part = pd.DataFrame({"option": option, "year": years})
        part["financial_year"] = [financial_year_label(y) for y in years]
        for name, values in (("p10", p10), ("p50", p50), ("p90", p90)):
            part[f"bed_days_avoided_{name}"] = values
            part[f"occupied_beds_freed_{name}"] = values / days
        part["bed_days_counterfactual"] = np.median(without.bed_days, axis=0)
        part["bed_days_with_option"] = np.median(with_option.bed_days, axis=0)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def option_projections(
    area: AreaProjection,
    effects: pd.DataFrame,
    options: Sequence[Option],
    settings: AppraisalSettings,
) -> pd.DataFrame:
    """projection_effects for an area's projection (projection.project_area): each option's
    scenario from its effect now (flow_effects, the observed year's rows), against the
    area's demography with the counterfactual scenarios of the appraisal's settings, with
    the projection's runs and seed."""
    now = effects[effects["population_year"].isna()].set_index("option")
    base_year = area.base_year.year
    scenarios = {}
    for option in options:
        if option.name not in now.index:
            raise AppraisalError(f"no effect now for option {option.name!r}")
        row = now.loc[option.name]
        scenarios[option.name] = projection_scenario(
            option,
            float(row["bed_days_avoided"]),
            float(row["bed_days_avoided_low"]),
            float(row["bed_days_avoided_high"]),
            area.demography,
            base_year,
        )
    counterfactual = [
        s for s in area.params.scenarios if s.name in settings.counterfactual_scenarios
    ]
    return projection_effects(
        area.demography,
        counterfactual,
        scenarios,
        base_year,
        area.horizon,
        runs=area.params.runs,
        seed=area.params.seed,
    )
