"""The model's settings: params/scenarios/system_dynamics.yaml, read and checked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from hscp.flow._common import CalibrationError
from hscp.flow.pathway import DELAY_GROUPS, DESTINATIONS, ONWARD


@dataclass(frozen=True)
class Settings:
    """params/scenarios/system_dynamics.yaml, checked."""

    capacity_per_1000: dict[str, float]
    assumptions: dict
    unit_costs: dict[str, float]
    scenarios: dict[str, dict]
    sliders: dict[str, list]
    uncertain: dict[str, dict]
    run: dict
    tolerance: dict[str, float]
    sources: dict[str, str] = field(default_factory=dict)
    path: str = ""

    def with_assumptions(self, **changes) -> Settings:
        return replace(self, assumptions={**self.assumptions, **changes})

    def with_unit_costs(self, **changes) -> Settings:
        return replace(self, unit_costs={**self.unit_costs, **changes})


_SETTINGS_KEYS = {
    "capacity_per_1000_65plus": (
        "care_home_places",
        "care_at_home_hours_per_week",
        "intermediate_care_beds",
    ),
    "assumptions": (
        "care_home_length_of_stay",
        "care_at_home_length_of_stay",
        "care_at_home_died_share",
        "hours_per_package",
        "step_down_length_of_stay",
        "step_up_length_of_stay",
        "step_up_share_of_admissions",
        "step_down_shares",
        "step_up_shares",
        "assessment_days_at_home",
        "community_mortality_per_year",
        "waiting_mortality_per_year",
        "home_arrangement_days",
        "capacity_share_bounds",
        "capacity_share_default",
        "shortest_wait_days",
        "default_destinations",
    ),
    "unit_costs": (
        "acute_bed_day",
        "care_home_week",
        "care_at_home_hour",
        "intermediate_care_bed_day",
        "discharge_to_assess_day",
        "ppa_avoided_admission",
        "los_bed_day_saved",
    ),
    "run": ("dt", "run_in_days", "calibration_months"),
    "tolerance": ("occupied_beds", "delayed_bed_days"),
}


def load_settings(path=None) -> Settings:
    """Read and check params/scenarios/system_dynamics.yaml (or `path`)."""
    from pathlib import Path

    import yaml

    from hscp import paths

    path = Path(path) if path else paths.params_dir() / "scenarios" / "system_dynamics.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for block, keys in _SETTINGS_KEYS.items():
        have = raw.get(block)
        if not isinstance(have, dict):
            raise CalibrationError(f"{path}: needs a {block}: block")
        missing = [k for k in keys if k not in have]
        if missing:
            raise CalibrationError(f"{path}: {block}: is missing {missing}")
    a = raw["assumptions"]
    for key in ("step_down_shares", "step_up_shares"):
        _check_shares(a[key], ONWARD, f"{path}: assumptions.{key}")
    for group in DELAY_GROUPS:
        allowed = [
            d for d in DESTINATIONS if d != "intermediate_care" or group == "intermediate_care"
        ]
        _check_shares(
            a["default_destinations"].get(group, {}),
            allowed,
            f"{path}: default_destinations.{group}",
        )
    for name, scenario in (raw.get("scenarios") or {}).items():
        unknown = set(scenario.get("levers", {})) - set(LEVERS)
        if unknown:
            raise CalibrationError(
                f"{path}: scenario {name!r} has unknown levers {sorted(unknown)}; levers: {list(LEVERS)}"
            )
    return Settings(
        capacity_per_1000={k: float(v) for k, v in raw["capacity_per_1000_65plus"].items()},
        assumptions=a,
        unit_costs={k: float(v) for k, v in raw["unit_costs"].items()},
        scenarios=raw.get("scenarios") or {},
        sliders=raw.get("sliders") or {},
        uncertain=raw.get("uncertain") or {},
        run=raw["run"],
        tolerance={k: float(v) for k, v in raw["tolerance"].items()},
        sources={k: str(v) for k, v in (raw.get("sources") or {}).items()},
        path=str(path),
    )


def _check_shares(shares: Mapping[str, float], allowed, where: str) -> None:
    unknown = set(shares) - set(allowed)
    if unknown:
        raise CalibrationError(
            f"{where}: unknown destinations {sorted(unknown)} (allowed: {list(allowed)})"
        )
    if abs(sum(shares.values()) - 1) > 1e-6:
        raise CalibrationError(f"{where}: shares add up to {sum(shares.values()):.3f}, not 1")


#: The changes a scenario can make, with their value in the baseline.
LEVERS = {
    "care_home_increase": 0.0,
    "care_at_home_increase": 0.0,
    "intermediate_care_increase": 0.0,
    "discharge_to_assess_share": 0.0,
    "ppa_avoided": 0.0,
    "los_reduction": 0.0,
    "population_year": None,
    "services_grow_with_need": False,
}


# --- what the calibration needs from the partnership's data -----------------------------------
