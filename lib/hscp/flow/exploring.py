"""Exploring: each lever dialled up on its own, and the numbers behind the slider panel."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hscp.flow.calibration import Calibration
from hscp.flow.runs import BASELINE, LEVER_LABELS, LeverSet, run_scenarios
from hscp.flow.summaries import summarise


def response_curves_table(calibration: Calibration, points: int = 11) -> pd.DataFrame:
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
            runs.append(LeverSet(f"{lever}={value:g}", LEVER_LABELS[lever], {lever: float(value)}))
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
    scenario = LeverSet("scenario", "With the changes", levers)
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
