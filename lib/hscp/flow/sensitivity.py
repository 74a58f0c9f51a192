"""Uncertainty: every option's value for money with each uncertain value at its low and high end."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from hscp.flow._common import CalibrationError
from hscp.flow.calibration import refine_all, steady_state
from hscp.flow.observed import Observed
from hscp.flow.runs import BASELINE, OUTPUTS, LeverSet, scenario_params
from hscp.flow.settings import Settings
from hscp.flow.summaries import summarise_rows, value_for_money


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
    scenarios: Sequence[LeverSet],
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


def tornado_table(sensitivity_table: pd.DataFrame, option: str, settings: Settings) -> pd.DataFrame:
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
