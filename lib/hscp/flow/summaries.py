"""A run's numbers for the report: per scenario, value for money, the baseline against the data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from hscp.flow.calibration import Calibration
from hscp.flow.engine import Results
from hscp.flow.pathway import DELAY_GROUP_LABELS, DELAY_GROUPS, SETTINGS
from hscp.flow.runs import BASELINE, OUTPUTS, LeverSet, run_scenarios, scenario_params


def summarise(
    calibration: Calibration,
    results: Results,
    scenarios: Sequence[LeverSet],
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


def people_in_settings_table(summary: pd.DataFrame, include_home: bool = False) -> pd.DataFrame:
    """People in each setting on an average day, tidy: label, setting, people."""
    settings = [s for s in SETTINGS if include_home or s != "At home, no new service"]
    tidy = summary.melt(
        id_vars=["label"], value_vars=settings, var_name="setting", value_name="people"
    )
    tidy["setting"] = pd.Categorical(tidy["setting"], categories=settings, ordered=True)
    return tidy.sort_values(["setting"], kind="stable").reset_index(drop=True)


def rank_options(calibration: Calibration, options: Sequence[LeverSet]) -> pd.DataFrame:
    """value_for_money of every option against the baseline, run together, best first."""
    runs = [BASELINE, *options]
    return value_for_money(summarise(calibration, run_scenarios(calibration, runs), runs))


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


def model_vs_data_table(calibration: Calibration, results: Results | None = None) -> pd.DataFrame:
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
