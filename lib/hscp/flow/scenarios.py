"""Scenarios of the older people's pathway: run changes, compare, cost, rank, test the answer.

A scenario sets levers (params/scenarios/system_dynamics.yaml, `LEVERS`):
more care at home hours, more intermediate care beds, discharge to assess,
fewer potentially preventable admissions, shorter treatment stays, the
population of a future year. Every scenario of a comparison runs in one
batched integration; the numbers reported are averages or totals over the
observed year, after a year's run-in with the change in place.

Costs are a year's spending on the services the changes buy (care homes, care
at home, intermediate care beds, discharge to assess, and the work that avoids
admissions or shortens stays), at the unit costs in the settings. Acute bed
days are valued too, but apart: freeing a bed frees capacity, not cash.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hscp.flow.engine import Results
from hscp.flow.older_people import (
    DELAY_GROUP_LABELS,
    DELAY_GROUPS,
    LEVERS,
    SETTINGS,
    Calibration,
    CalibrationError,
    Observed,
    Settings,
    refine_all,
    steady_state,
)

#: The variables a scenario run records (daily averages).
OUTPUTS = (
    "occupied_beds",
    "delayed_beds",
    "acute_treatment",
    *(f"delayed_{g}" for g in DELAY_GROUPS),
    "emergency_stays",
    "step_up",
    "ppa_avoided_admissions",
    "deaths",
    *sorted({s for stocks in SETTINGS.values() for s in stocks}),
)

LEVER_LABELS = {
    "care_home_increase": "More care home places",
    "care_at_home_increase": "More care at home hours",
    "intermediate_care_increase": "More intermediate care beds",
    "discharge_to_assess_share": "Discharge to assess",
    "ppa_avoided": "Fewer potentially preventable admissions",
    "los_reduction": "Shorter treatment stays",
    "population_year": "Population of a future year",
    "services_grow_with_need": "Services grown in line with need",
}


@dataclass(frozen=True)
class Scenario:
    """A named set of lever values (the baseline has none)."""

    name: str
    label: str
    levers: dict = field(default_factory=dict)
    rank: bool = True


BASELINE = Scenario("baseline", "Today's system (baseline)", {}, rank=False)


def defined_scenarios(settings: Settings, calibration: Calibration | None = None) -> list[Scenario]:
    """The scenarios of the settings file, in its order. Given a calibration, those it
    cannot run are left out (a population year without projections), with a note."""
    out = [
        Scenario(name, s["label"], dict(s.get("levers", {})), bool(s.get("rank", True)))
        for name, s in settings.scenarios.items()
    ]
    if calibration is None:
        return out
    kept = []
    for scenario in out:
        try:
            scenario_params(calibration, scenario.levers)
        except CalibrationError as err:
            calibration.notes.append(f"Scenario '{scenario.label}' left out: {err}")
            continue
        kept.append(scenario)
    return kept


def rank_options(calibration: Calibration, options: Sequence[Scenario]) -> pd.DataFrame:
    """value_for_money of every option against the baseline, run together, best first."""
    runs = [BASELINE, *options]
    return value_for_money(summarise(calibration, run_scenarios(calibration, runs), runs))


def options(settings: Settings, calibration: Calibration | None = None) -> list[Scenario]:
    """Every change to rank, alone and combined: each rankable scenario, every pair of
    them, and all of them together (levers of a combination are the union)."""
    singles = [s for s in defined_scenarios(settings, calibration) if s.rank]
    out = list(singles)
    for a, b in itertools.combinations(singles, 2):
        out.append(
            Scenario(f"{a.name}+{b.name}", f"{a.label} + {b.label}", {**a.levers, **b.levers})
        )
    if len(singles) > 2:
        out.append(
            Scenario(
                "+".join(s.name for s in singles),
                "All of them together",
                {k: v for s in singles for k, v in s.levers.items()},
            )
        )
    return out


def scenario_params(calibration: Calibration, levers: Mapping[str, object]) -> dict[str, float]:
    """The model parameters of a scenario: the calibrated baseline with the levers set.

    care_at_home_increase and intermediate_care_increase multiply the capacity by
    (1 + value); discharge_to_assess_share, ppa_avoided and los_reduction are shares
    (0 to 1); population_year scales each age band's population by its NRS projected
    growth from the observed year to that year; services_grow_with_need (true/false)
    grows care home places, care at home hours and intermediate care beds in line with
    need (the first emergency admissions the population would bring at today's rates).
    care_home_increase multiplies care home places by (1 + value).
    """
    unknown = set(levers) - set(LEVERS)
    if unknown:
        raise CalibrationError(f"unknown levers {sorted(unknown)}; levers: {list(LEVERS)}")
    for name, highest in (
        ("discharge_to_assess_share", 1.0),
        ("ppa_avoided", 1.0),
        ("los_reduction", 0.9),
    ):
        value = float(levers.get(name, 0.0))
        if not 0 <= value <= highest:
            raise CalibrationError(f"lever {name} must be from 0 to {highest:g}, not {value:g}")
    for name in ("care_home_increase", "care_at_home_increase", "intermediate_care_increase"):
        if float(levers.get(name, 0.0)) <= -1:
            raise CalibrationError(f"lever {name} cannot take away all of the service")
    p = dict(calibration.params)
    p["care_home_capacity"] *= 1 + float(levers.get("care_home_increase", 0.0))
    p["care_at_home_hours"] *= 1 + float(levers.get("care_at_home_increase", 0.0))
    p["intermediate_care_capacity"] *= 1 + float(levers.get("intermediate_care_increase", 0.0))
    p["discharge_to_assess_share"] = float(levers.get("discharge_to_assess_share", 0.0))
    p["ppa_avoided"] = float(levers.get("ppa_avoided", 0.0))
    p["los_reduction"] = float(levers.get("los_reduction", 0.0))
    year = levers.get("population_year")
    if year:
        for band, growth in population_growth(calibration.observed, int(year)).items():
            p[f"growth_{band}"] = growth
    if levers.get("services_grow_with_need"):
        # Need: first emergency admissions the population would bring, at today's rates.
        bands = [b.removeprefix("growth_") for b in p if b.startswith("growth_")]
        today = sum(
            p[f"admission_rate_{b}"] * calibration.observed.band_population(b) for b in bands
        )
        grown = sum(
            p[f"admission_rate_{b}"] * calibration.observed.band_population(b) * p[f"growth_{b}"]
            for b in bands
        )
        for key in ("care_home_capacity", "care_at_home_hours", "intermediate_care_capacity"):
            p[key] *= grown / today
    return p


def population_growth(observed: Observed, year: int) -> dict[str, float]:
    """Growth of each age band from the observed year to `year` (NRS projections)."""
    growth = observed.growth
    if growth is None or growth.empty:
        raise CalibrationError(
            f"{observed.area}: no population projections, so no population_year scenario"
        )
    rows = growth[growth["year"] == year]
    if rows.empty:
        years = sorted(growth["year"].unique())
        raise CalibrationError(
            f"no projection for {year}: projections cover {years[0]} to {years[-1]}"
        )
    return {r.band: float(r.growth) for r in rows.itertuples()}


def run_scenarios(
    calibration: Calibration, scenarios: Sequence[Scenario], *, dt: float | None = None
) -> Results:
    """Run scenarios together (one batched integration); runs are labelled by name."""
    table = pd.DataFrame([scenario_params(calibration, s.levers) for s in scenarios])
    return calibration.run(table, dt=dt, record=OUTPUTS, runs=[s.name for s in scenarios])


# --- summaries ------------------------------------------------------------------------------


def summarise(
    calibration: Calibration,
    results: Results,
    scenarios: Sequence[Scenario],
    unit_costs: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """One row per scenario: the observed year's averages and totals, and costs.

    Beds and people are averages on a day; bed days, admissions, deaths and pounds
    are totals over the year. Columns: scenario, label, occupied_beds, delayed_beds,
    treatment_beds, delayed_bed_days (and by delay group), emergency_admissions,
    step_ups, waiting_care_home, waiting_care_at_home (people waiting at home), the
    people in each setting (SETTINGS), deaths and the costs (cost_*).
    """
    costs = dict(unit_costs or calibration.settings.unit_costs)
    start, days = calibration.report_start, calibration.observed.days
    table = pd.DataFrame([scenario_params(calibration, s.levers) for s in scenarios])

    def mean(name):
        return results.mean(name, start)

    def total(name):
        return results.total(name, start)

    out = pd.DataFrame(
        {"scenario": [s.name for s in scenarios], "label": [s.label for s in scenarios]}
    )
    out["occupied_beds"] = mean("occupied_beds")
    out["delayed_beds"] = mean("delayed_beds")
    out["treatment_beds"] = mean("acute_treatment")
    out["delayed_bed_days"] = total("delayed_beds")
    for g in DELAY_GROUPS:
        out[f"delayed_bed_days_{g}"] = total(f"delayed_{g}")
    out["emergency_admissions"] = total("emergency_stays")
    out["step_ups"] = total("step_up")
    out["waiting_care_home"] = mean("waiting_care_home")
    out["waiting_care_at_home"] = mean("waiting_care_at_home")
    for setting, stocks in SETTINGS.items():
        out[setting] = sum(mean(s) for s in stocks)
    out["deaths"] = total("deaths")

    los_cut = table["los_reduction"].to_numpy()
    # Services are paid for by the capacity bought (places, hours, beds), used or not;
    # discharge to assess by the days people are supported.
    out["cost_acute"] = out["occupied_beds"] * days * costs["acute_bed_day"]
    out["cost_care_home"] = (
        table["care_home_capacity"].to_numpy() * days * costs["care_home_week"] / 7
    )
    out["cost_care_at_home"] = (
        table["care_at_home_hours"].to_numpy() * days / 7 * costs["care_at_home_hour"]
    )
    out["cost_intermediate_care"] = (
        table["intermediate_care_capacity"].to_numpy() * days * costs["intermediate_care_bed_day"]
    )
    out["cost_discharge_to_assess"] = (
        mean("discharge_to_assess") * days * costs["discharge_to_assess_day"]
    )
    out["cost_fewer_admissions"] = total("ppa_avoided_admissions") * costs["ppa_avoided_admission"]
    # Bed days the shorter stays save: the same patients at the old length of stay.
    saved = out["treatment_beds"] * days * los_cut / (1 - los_cut)
    out["cost_shorter_stays"] = saved * costs["los_bed_day_saved"]
    out["cost_services"] = out[
        [
            "cost_care_home",
            "cost_care_at_home",
            "cost_intermediate_care",
            "cost_discharge_to_assess",
            "cost_fewer_admissions",
            "cost_shorter_stays",
        ]
    ].sum(axis=1)
    return out


def value_for_money(summary: pd.DataFrame, baseline: str = BASELINE.name) -> pd.DataFrame:
    """Each scenario against the baseline: what it changes, what it costs, per pound.

    cost = the change in a year's spending on services (cost_services); per pound:
    delayed bed days avoided a year per £1,000 and occupied beds freed per £1
    million a year. Sorted by delayed bed days avoided per £1,000 (best first).
    """
    base = summary.set_index("scenario").loc[baseline]
    rows = summary[summary["scenario"] != baseline].copy()
    rows["delayed_bed_days_avoided"] = base["delayed_bed_days"] - rows["delayed_bed_days"]
    rows["delayed_bed_days_change"] = rows["delayed_bed_days"] / base["delayed_bed_days"] - 1
    rows["occupied_beds_freed"] = base["occupied_beds"] - rows["occupied_beds"]
    rows["occupied_beds_change"] = rows["occupied_beds"] / base["occupied_beds"] - 1
    rows["admissions_avoided"] = base["emergency_admissions"] - rows["emergency_admissions"]
    rows["waiting_at_home_change"] = (rows["waiting_care_home"] + rows["waiting_care_at_home"]) - (
        base["waiting_care_home"] + base["waiting_care_at_home"]
    )
    rows["cost"] = rows["cost_services"] - base["cost_services"]
    rows["acute_bed_days_value"] = base["cost_acute"] - rows["cost_acute"]
    paid = rows["cost"].where(rows["cost"] > 0)
    rows["bed_days_per_1000"] = rows["delayed_bed_days_avoided"] / (paid / 1000)
    rows["beds_per_million"] = rows["occupied_beds_freed"] / (paid / 1e6)
    return rows.sort_values("bed_days_per_1000", ascending=False, na_position="last").reset_index(
        drop=True
    )


def people_in_settings(summary: pd.DataFrame, include_home: bool = False) -> pd.DataFrame:
    """People in each setting on an average day, tidy: label, setting, people."""
    settings = [s for s in SETTINGS if include_home or s != "At home, no new service"]
    tidy = summary.melt(
        id_vars=["label"], value_vars=settings, var_name="setting", value_name="people"
    )
    tidy["setting"] = pd.Categorical(tidy["setting"], categories=settings, ordered=True)
    return tidy.sort_values(["setting"], kind="stable").reset_index(drop=True)


# --- the baseline against the data ----------------------------------------------------------


def baseline_check(calibration: Calibration, results: Results | None = None) -> pd.DataFrame:
    """The baseline run against the observed year: measure, observed, modelled,
    difference (relative), tolerance, within. Tolerances from the settings."""
    obs = calibration.observed
    run = results if results is not None else calibration.run(record=OUTPUTS)
    start, days = calibration.report_start, obs.days
    col = run.runs.index(BASELINE.name) if BASELINE.name in run.runs else 0
    tol = calibration.settings.tolerance
    rows = [
        (
            "Acute bed days in the year (emergency stays, 65+)",
            obs.occupied_beds * days,
            run.total("occupied_beds", start)[col],
            tol["occupied_beds"],
        ),
        (
            "Delayed bed days in the year (65+)",
            sum(obs.delayed_beds.values()) * days,
            run.total("delayed_beds", start)[col],
            tol["delayed_bed_days"],
        ),
        (
            "Emergency admissions in the year (65+)",
            obs.admissions * days,
            run.total("emergency_stays", start)[col],
            tol["occupied_beds"],
        ),
    ]
    for g in DELAY_GROUPS:
        rows.append(
            (
                f"Delayed bed days waiting for {DELAY_GROUP_LABELS[g]}",
                obs.delayed_beds.get(g, 0.0) * days,
                run.total(f"delayed_{g}", start)[col],
                tol["delayed_bed_days"],
            )
        )
    table = pd.DataFrame(rows, columns=["measure", "observed", "modelled", "tolerance"])
    difference = np.where(table["observed"] > 0, table["modelled"] / table["observed"] - 1, 0.0)
    table["difference"] = np.round(difference, 6) + 0.0  # no "-0.00%"
    table["within"] = table["difference"].abs() <= table["tolerance"]
    return table[["measure", "observed", "modelled", "difference", "tolerance", "within"]]


def model_vs_data(calibration: Calibration, results: Results | None = None) -> pd.DataFrame:
    """Month by month over the observed year: measure, month, source (Observed or Model),
    beds (average a day) and bed_days (in the month), for occupied beds and delayed beds
    (65+). The model's bed days are its beds x the days in the month, so a small month
    is suppressed in both."""
    obs = calibration.observed
    run = results if results is not None else calibration.run(record=OUTPUTS)
    col = run.runs.index(BASELINE.name) if BASELINE.name in run.runs else 0
    daily = pd.DataFrame(
        {
            "occupied": run["occupied_beds"][:, col],
            "delayed": run["delayed_beds"][:, col],
        },
        index=run.dates,
    )
    daily = daily[(daily.index >= obs.start) & (daily.index <= obs.end)]
    modelled = daily.groupby(daily.index.to_period("M")).mean()
    monthly = obs.monthly.copy()
    rows = []
    for _, m in monthly.iterrows():
        period = m["month"].to_period("M")
        n = m["month"].days_in_month
        rows += [
            ("Acute beds occupied", m["month"], "Observed", m["bed_days"] / n, m["bed_days"]),
            (
                "Acute beds occupied",
                m["month"],
                "Model",
                modelled.loc[period, "occupied"],
                modelled.loc[period, "occupied"] * n,
            ),
            (
                "Beds occupied by delayed people",
                m["month"],
                "Observed",
                m["delayed_bed_days"] / n,
                m["delayed_bed_days"],
            ),
            (
                "Beds occupied by delayed people",
                m["month"],
                "Model",
                modelled.loc[period, "delayed"],
                modelled.loc[period, "delayed"] * n,
            ),
        ]
    return pd.DataFrame(rows, columns=["measure", "month", "source", "beds", "bed_days"])


def monthly_fit(comparison: pd.DataFrame) -> pd.DataFrame:
    """Mean absolute percentage error of the model's monthly values, by measure."""
    wide = comparison.pivot_table(index=["measure", "month"], columns="source", values="beds")
    error = (wide["Model"] / wide["Observed"] - 1).abs()
    return error.groupby(level="measure").mean().rename("mean_absolute_error").reset_index()


# --- uncertainty: the tornado ------------------------------------------------------------------


def _with_uncertain(settings: Settings, name: str, value: float) -> tuple[Settings, float]:
    """Settings with one uncertain value changed, and the capacity share shift."""
    if name == "capacity_share_shift":
        return settings, float(value)
    if name.endswith("_arrangement_days"):
        service = name.removesuffix("_arrangement_days")
        days = {**settings.assumptions["home_arrangement_days"], service: float(value)}
        return settings.with_assumptions(home_arrangement_days=days), 0.0
    if name in settings.unit_costs:
        return settings.with_unit_costs(**{name: float(value)}), 0.0
    if name in settings.assumptions:
        return settings.with_assumptions(**{name: value}), 0.0
    raise CalibrationError(f"uncertain value {name!r} is not an assumption or unit cost")


def sensitivity(
    observed: Observed,
    settings: Settings,
    capacities: Mapping[str, float],
    scenarios: Sequence[Scenario],
) -> pd.DataFrame:
    """Every scenario's value for money with each uncertain value at its low and high.

    For each uncertain value (settings.uncertain) and end (low, high), the model is
    recalibrated to the same observed year with that value, and every scenario run
    against that baseline: all in a few batched runs. Returns value_for_money's
    columns plus parameter, end, value (the base case has parameter "base").
    """
    variants = [("base", "base", None, settings, 0.0)]
    for name, spec in settings.uncertain.items():
        for end in ("low", "high"):
            changed, shift = _with_uncertain(settings, name, spec[end])
            variants.append((name, end, spec[end], changed, shift))
    calibrations = refine_all(
        [
            steady_state(observed, s, capacities, capacity_share_shift=shift)
            for *_, s, shift in variants
        ]
    )
    runs = [BASELINE, *scenarios]
    table = pd.DataFrame([scenario_params(c, r.levers) for c in calibrations for r in runs])
    labels = [f"{i}:{r.name}" for i in range(len(calibrations)) for r in runs]
    results = calibrations[0].run(table, record=OUTPUTS, runs=labels)
    out = []
    for i, ((name, end, value, variant, _), cal) in enumerate(
        zip(variants, calibrations, strict=True)
    ):
        rows = summarise_rows(cal, results, runs, i, variant.unit_costs)
        vfm = value_for_money(rows)
        vfm.insert(0, "value", value)
        vfm.insert(0, "end", end)
        vfm.insert(0, "parameter", name)
        out.append(vfm)
    return pd.concat(out, ignore_index=True)


def summarise_rows(calibration, results, scenarios, index, unit_costs) -> pd.DataFrame:
    """summarise() for the runs of one calibration within a larger batch."""
    names = [f"{index}:{s.name}" for s in scenarios]
    cols = [results.runs.index(n) for n in names]
    sub = Results(
        model=results.model,
        names=results.names,
        kinds=results.kinds,
        data=results.data[:, :, cols],
        stocks_at=results.stocks_at[:, :, cols],
        stock_names=results.stock_names,
        dt=results.dt,
        every=results.every,
        start=results.start,
        runs=[s.name for s in scenarios],
        minimum_stock=results.minimum_stock[:, cols],
        minimum_flow=results.minimum_flow[:, cols],
        flow_names=results.flow_names,
    )
    return summarise(calibration, sub, scenarios, unit_costs)


def tornado(sensitivity_table: pd.DataFrame, option: str, settings: Settings) -> pd.DataFrame:
    """One row per uncertain value: the option's delayed bed days avoided per £1,000 at
    the value's low and high ends, the base case, and the best option at each end.
    Sorted with the widest swing first."""
    table = sensitivity_table[sensitivity_table["scenario"] == option]
    base = float(table.loc[table["parameter"] == "base", "bed_days_per_1000"].iloc[0])
    best = (
        sensitivity_table.sort_values("bed_days_per_1000", ascending=False)
        .groupby(["parameter", "end"], sort=False)["scenario"]
        .first()
    )
    rows = []
    for name, spec in settings.uncertain.items():
        low = table[(table["parameter"] == name) & (table["end"] == "low")]["bed_days_per_1000"]
        high = table[(table["parameter"] == name) & (table["end"] == "high")]["bed_days_per_1000"]
        rows.append(
            {
                "parameter": name,
                "label": spec.get("label", name),
                "unit": spec.get("unit", ""),
                "low_value": spec["low"],
                "high_value": spec["high"],
                "at_low": float(low.iloc[0]),
                "at_high": float(high.iloc[0]),
                "base": base,
                "best_at_low": best.get((name, "low")),
                "best_at_high": best.get((name, "high")),
            }
        )
    out = pd.DataFrame(rows)
    out["swing"] = (out["at_high"] - out["at_low"]).abs()
    return out.sort_values("swing", ascending=False).reset_index(drop=True)


# --- exploring: response curves and the slider callback --------------------------------------


def response_curves(calibration: Calibration, points: int = 11) -> pd.DataFrame:
    """Each lever on its own at `points` values across its slider range (one batched run):
    lever, label, value, measure (delayed bed days, occupied beds), result, change (the
    relative change from today)."""
    settings = calibration.settings
    levers = [lever for lever in settings.sliders if lever != "population_year"]
    runs = [BASELINE]
    for lever in levers:
        low, high, _ = settings.sliders[lever]
        # closer together near nothing, where a full service's queue clears
        for value in low + (high - low) * np.linspace(0, 1, points)[1:] ** 2:
            runs.append(Scenario(f"{lever}={value:g}", LEVER_LABELS[lever], {lever: float(value)}))
    summary = summarise(calibration, run_scenarios(calibration, runs), runs)
    base = summary.iloc[0]
    measures = {"delayed_bed_days": "Delayed bed days", "occupied_beds": "Acute beds occupied"}
    rows = []
    for s, row in zip(runs, summary.itertuples(), strict=True):
        for lever in levers if s is BASELINE else list(s.levers):
            for column, measure in measures.items():
                rows.append(
                    {
                        "lever": lever,
                        "label": LEVER_LABELS[lever],
                        "value": s.levers.get(lever, 0.0),
                        "measure": measure,
                        "result": getattr(row, column),
                        "change": getattr(row, column) / base[column] - 1,
                    }
                )
    return pd.DataFrame(rows).sort_values(["lever", "measure", "value"]).reset_index(drop=True)


def explore(calibration: Calibration, **levers) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The slider callback's numbers: the baseline and a scenario with these levers.

    Returns (daily, table): daily is tidy (date, scenario, measure, value) for
    occupied beds, delayed beds and people waiting at home over the observed year;
    table has one row per measure with baseline, scenario and change.
    """
    levers = {k: v for k, v in levers.items() if v not in (None, 0, 0.0)}
    scenario = Scenario("scenario", "With the changes", levers)
    runs = [BASELINE, scenario]
    results = run_scenarios(calibration, runs)
    summary = summarise(calibration, results, runs)
    start = calibration.report_start
    first = int(round(start / results.every))
    frames = []
    for measure, names in {
        "Acute beds occupied": ["occupied_beds"],
        "Beds occupied by delayed people": ["delayed_beds"],
        "People waiting at home for care": ["waiting_care_home", "waiting_care_at_home"],
    }.items():
        values = sum(results[n] for n in names)[first:]
        for col, s in enumerate(runs):
            frames.append(
                pd.DataFrame(
                    {
                        "date": results.dates[first:],
                        "scenario": s.label,
                        "measure": measure,
                        "value": values[:, col],
                    }
                )
            )
    measures = {
        "occupied_beds": "Acute beds occupied, average",
        "delayed_bed_days": "Delayed bed days in the year",
        "emergency_admissions": "Emergency admissions in the year",
        "waiting_care_home": "Waiting at home for a care home place, average",
        "waiting_care_at_home": "Waiting at home for care at home, average",
        "cost_services": "Cost of services in the year (£)",
    }
    table = pd.DataFrame(
        {
            "measure": list(measures.values()),
            "baseline": [summary.loc[0, k] for k in measures],
            "scenario": [summary.loc[1, k] for k in measures],
        }
    )
    table["change"] = table["scenario"] - table["baseline"]
    return pd.concat(frames, ignore_index=True), table


def slider_panel(calibration: Calibration):
    """An ipywidgets panel: a slider per lever; moving one reruns the model and redraws.

    For JupyterLab only (the rendered report shows response_curves instead)."""
    import io

    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    from hscp import charts

    settings = calibration.settings
    sliders = {}
    for lever, (low, high, step) in settings.sliders.items():
        if lever == "population_year":
            if calibration.observed.growth is None or calibration.observed.growth.empty:
                continue
            years = sorted(calibration.observed.growth["year"].unique())
            sliders[lever] = widgets.IntSlider(
                value=int(years[0]),
                min=int(years[0]),
                max=int(min(high, years[-1])),
                step=int(step),
                description="Population of",
                style={"description_width": "initial"},
                layout=widgets.Layout(width="520px"),
            )
        else:
            sliders[lever] = widgets.FloatSlider(
                value=0.0,
                min=low,
                max=high,
                step=step,
                description=LEVER_LABELS[lever],
                readout_format=".0%",
                style={"description_width": "initial"},
                layout=widgets.Layout(width="520px"),
            )
    output = widgets.Output()

    def redraw(**levers):
        year = levers.get("population_year")
        if year is not None and year <= int(calibration.observed.end.year):
            levers["population_year"] = None
        daily, table = explore(calibration, **levers)
        figure = charts.scenario_timeline(daily)
        png = io.BytesIO()
        figure.savefig(png, format="png", bbox_inches="tight")
        plt.close(figure)
        with output:
            output.clear_output(wait=True)
            display(Image(data=png.getvalue(), format="png"))
            display(
                table.style.format(
                    {"baseline": "{:,.0f}", "scenario": "{:,.0f}", "change": "{:+,.0f}"}
                )
                .hide(axis="index")
                .set_properties(subset=["measure"], **{"text-align": "left"})
            )

    panel = widgets.interactive(redraw, {"manual": False}, **sliders)
    return widgets.VBox(
        [
            widgets.HTML(
                "<b>Move a slider: the model reruns with the changes (a fraction of a second).</b>"
            ),
            panel,
            output,
        ]
    )


def in_jupyter_server() -> bool:
    """True in a kernel started by a Jupyter server (JupyterLab), where widgets work;
    False when papermill or nbclient runs the notebook for a rendered report."""
    import os

    return bool(os.environ.get("JPY_SESSION_NAME"))


# --- recommendations in sentences ----------------------------------------------------------------


def money(pounds: float) -> str:
    """£1.9 million, £168,000, £950 (negative: 'a saving of £...')."""
    if pounds < 0:
        return f"a saving of {money(-pounds)}"
    if pounds >= 1e6:
        return f"£{pounds / 1e6:,.1f} million"
    if pounds >= 1e4:
        return f"£{round(pounds, -3):,.0f}"
    return f"£{pounds:,.0f}"


def _percent(share: float) -> str:
    return f"{100 * abs(share):.0f}%"


def recommendation(vfm: pd.DataFrame) -> list[str]:
    """What value_for_money's table says, in sentences with its numbers: the change (or
    combination) with the largest fall in delayed bed days per pound, the one with the
    largest fall in occupied beds per pound, and the largest fall whatever the cost."""
    paid = vfm[vfm["cost"] > 0]
    if paid.empty:
        return [
            "None of the changes tested adds to the cost of services, so none can be ranked per pound."
        ]
    best = paid.sort_values("bed_days_per_1000", ascending=False).iloc[0]
    beds = paid.sort_values("beds_per_million", ascending=False).iloc[0]
    out = [
        f"{best['label']} gives the largest fall in delayed bed days for the money: "
        f"{best['delayed_bed_days_avoided']:,.0f} fewer a year ({_percent(best['delayed_bed_days_change'])} "
        f"fewer) for {money(best['cost'])} a year, {best['bed_days_per_1000']:.1f} delayed bed days "
        "per £1,000."
    ]
    if beds["scenario"] == best["scenario"]:
        out.append(
            f"It also frees the most acute beds per pound: {beds['occupied_beds_freed']:.1f} fewer "
            f"occupied on an average day, {beds['beds_per_million']:.1f} beds per £1 million a year."
        )
    else:
        out.append(
            f"For occupied beds, {beds['label'][0].lower() + beds['label'][1:]} does most per pound: "
            f"{beds['occupied_beds_freed']:.1f} fewer beds occupied on an average day "
            f"({_percent(beds['occupied_beds_change'])} fewer) for {money(beds['cost'])} a year, "
            f"{beds['beds_per_million']:.1f} beds per £1 million."
        )
    biggest = vfm.sort_values("delayed_bed_days_avoided", ascending=False).iloc[0]
    if biggest["scenario"] not in (best["scenario"], beds["scenario"]):
        out.append(
            f"The largest fall whatever the cost comes from {biggest['label'][0].lower() + biggest['label'][1:]}: "
            f"{biggest['delayed_bed_days_avoided']:,.0f} fewer delayed bed days a year "
            f"({_percent(biggest['delayed_bed_days_change'])}) and {biggest['occupied_beds_freed']:.1f} "
            f"fewer occupied beds, for {money(biggest['cost'])} a year."
        )
    no_delays = paid[
        (
            paid["delayed_bed_days_avoided"].abs()
            < 0.01 * paid["delayed_bed_days_avoided"].abs().max()
        )
        & (paid["occupied_beds_freed"] > 0)
    ]
    for _, row in no_delays.iterrows():
        out.append(
            f"{row['label']} frees {row['occupied_beds_freed']:.1f} beds but does not reduce delays: "
            "the people waiting still wait."
        )
    return out


def sensitivity_sentences(
    table: pd.DataFrame,
    option: str,
    labels: Mapping[str, str],
    ranked: pd.DataFrame | None = None,
    shown: int = 3,
) -> list[str]:
    """tornado()'s table in sentences: what the answer depends on most, whether the
    recommended option stays the best value for money at every end of every range
    (naming at most `shown` of the values that would change it, widest swing first),
    and, given value_for_money's table, whether the runner-up (the best option without
    the recommended change in it) is within 10%."""
    name = _lower(labels.get(option, option))
    moved = table[table["swing"] > 1e-9]
    out = []
    if not moved.empty:
        parts = [
            f"{_lower(r.label)} ({with_unit(r.low_value, r.unit)} to {with_unit(r.high_value, r.unit)}: "
            f"{r.at_low:.1f} to {r.at_high:.1f} delayed bed days per £1,000)"
            for r in moved.head(2).itertuples()
        ]
        out.append(
            f"The value for money of {name} depends most on "
            + " and on ".join(parts)
            + f", against {table['base'].iloc[0]:.1f} with the central values."
        )
    tests = 2 * len(table)
    flips: dict[str, list[str]] = {}
    for r in table.itertuples():  # widest swing first
        for value, best in ((r.low_value, r.best_at_low), (r.high_value, r.best_at_high)):
            if best != option:
                flips.setdefault(best, []).append(
                    f"{_lower(r.label)} were {with_unit(value, r.unit)}"
                )
    kept = tests - sum(len(v) for v in flips.values())
    sentence = (
        f"It stays the best value for money in {kept} of {tests} tests that set one uncertain "
        "value at the low or the high end of its range"
    )
    if flips:
        parts = []
        for best, conditions in flips.items():
            listed = conditions[:shown]
            more = len(conditions) - len(listed)
            tail = f", among {more} other{'s' if more > 1 else ''}" if more else ""
            parts.append(f"{labels.get(best, best)} would do better if {_or(listed)}{tail}.")
        sentence += ". " + " ".join(parts)
    else:
        sentence += "."
    out.append(sentence)
    if ranked is not None and len(ranked) > 1:
        # the runner-up: the best option that does not include the recommended change
        parts = set(option.split("+"))
        others = ranked[[not parts & set(str(n).split("+")) for n in ranked["scenario"]]]
        first = ranked[ranked["scenario"] == option].iloc[0]
        second = others.iloc[0] if len(others) else None
        if second is not None and second["bed_days_per_1000"] >= 0.9 * first["bed_days_per_1000"]:
            out.append(
                f"{labels.get(option, option)} and {_lower(str(second['label']))} are close "
                f"({first['bed_days_per_1000']:.1f} and {second['bed_days_per_1000']:.1f} delayed bed days "
                "per £1,000): either is a good first step."
            )
    return out


def with_unit(value: float, unit: str) -> str:
    """A value with its unit, for a sentence: '28 days', '£150', '0.15'."""
    text = _number(value)
    if unit == "£":
        return f"£{text}"
    if unit in ("days", "hours"):
        return f"{text} {unit}"
    if unit == "shift":
        return f"{_number(abs(float(value)))} {'higher' if float(value) > 0 else 'lower'}"
    return text


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _number(value: float) -> str:
    value = float(value)
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1 or value == 0:
        return f"{value:g}"
    return f"{value:.2f}".rstrip("0")


# --- tables for the report ------------------------------------------------------------------------


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
            "Cost a year (£)": _whole(ranked["cost"].round(-3)),
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
            sources.get("care_home_places", ""),
        ),
        (
            "Care at home hours a week (this area)",
            f"{c['care_at_home_hours_per_week']:,.0f}",
            sources.get("care_at_home_hours_per_week", ""),
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


# --- the diagram of the model, with today's numbers ----------------------------------------------

#: Boxes of the diagram: key -> (label, stocks, x, y).
DIAGRAM_STOCKS = {
    "home": ("At home, aged 65+", ("community", "home_after_discharge"), 0.0, 2.0),
    "waiting_care_at_home": (
        "Waiting at home for care at home",
        ("waiting_care_at_home",),
        0.0,
        0.8,
    ),
    "waiting_care_home": (
        "Waiting at home for a care home place",
        ("waiting_care_home",),
        2.0,
        -0.4,
    ),
    "treatment": ("Acute bed: treatment", ("acute_treatment",), 2.0, 2.0),
    "delayed": ("Acute bed: delayed", tuple(f"delayed_{g}" for g in DELAY_GROUPS), 4.0, 2.0),
    "intermediate_care": (
        "Intermediate care",
        ("intermediate_care_step_down", "intermediate_care_step_up"),
        6.0,
        3.1,
    ),
    "care_at_home": ("Care at home", ("care_at_home",), 6.0, 1.4),
    "care_home": ("Care home", ("care_home",), 6.0, -0.4),
}
#: Arrows of the diagram: (from, to, flows added up, bend, offset).
DIAGRAM_FLOWS = (
    ("home", "treatment", ("emergency_admission", "readmission"), 0.0, 0.13),
    ("treatment", "home", ("discharged_home",), 0.0, 0.13),
    ("treatment", "delayed", tuple(f"ready_{g}" for g in DELAY_GROUPS), 0.0, 0.0),
    ("home", "intermediate_care", ("step_up",), -0.25, 0.0),
    ("delayed", "intermediate_care", ("delayed_intermediate_care_to_intermediate_care",), 0.0, 0.0),
    (
        "delayed",
        "care_at_home",
        tuple(f"delayed_{g}_to_care_at_home" for g in DELAY_GROUPS),
        0.0,
        0.0,
    ),
    ("delayed", "care_home", tuple(f"delayed_{g}_to_care_home" for g in DELAY_GROUPS), 0.0, 0.0),
    ("home", "waiting_care_at_home", ("referred_care_at_home",), 0.0, 0.0),
    ("home", "waiting_care_home", ("referred_care_home",), 0.0, 0.0),
    ("waiting_care_at_home", "care_at_home", ("placed_care_at_home_from_home",), 0.0, 0.0),
    ("waiting_care_home", "care_home", ("placed_care_home_from_home",), 0.0, 0.0),
)


def diagram_table(calibration: Calibration) -> pd.DataFrame:
    """The model's diagram with today's numbers (the baseline run over the observed year):
    stocks (people on an average day) and the main flows (people a day; `in_year`, the
    people in the year, is the count disclosure control looks at)."""
    run = calibration.run()
    start = calibration.report_start
    rows = []
    for key, (label, stocks, x, y) in DIAGRAM_STOCKS.items():
        people = sum(float(run.mean(s, start)[0]) for s in stocks)
        rows.append(
            {
                "kind": "stock",
                "name": key,
                "label": label,
                "x": x,
                "y": y,
                "text": f"{people:,.0f} people",
            }
        )
    for source, target, names, bend, offset in DIAGRAM_FLOWS:
        rate = sum(float(run.mean(n, start)[0]) for n in names)
        rows.append(
            {
                "kind": "flow",
                "source": source,
                "target": target,
                "bend": bend,
                "offset": offset,
                "in_year": round(rate * calibration.observed.days),
                "value": rate,
                "text": f"{rate:,.{1 if rate >= 1 else 2}f} a day",
            }
        )
    return pd.DataFrame(rows)
