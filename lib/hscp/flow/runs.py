"""Scenarios of the older people's pathway: lever sets, their parameters, and running them.

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

import pandas as pd

from hscp.flow._common import CalibrationError
from hscp.flow.calibration import Calibration
from hscp.flow.engine import Results
from hscp.flow.observed import Observed
from hscp.flow.pathway import DELAY_GROUPS, SETTINGS
from hscp.flow.settings import LEVERS, Settings

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
class LeverSet:
    """A scenario of the model: a named set of lever values (the baseline has none)."""

    name: str
    label: str
    levers: dict = field(default_factory=dict)
    rank: bool = True


BASELINE = LeverSet("baseline", "Today's system (baseline)", {}, rank=False)


def defined_scenarios(settings: Settings, calibration: Calibration | None = None) -> list[LeverSet]:
    """The scenarios of the settings file, in its order. Given a calibration, those it
    cannot run are left out (a population year without projections), with a note."""
    out = [
        LeverSet(name, s["label"], dict(s.get("levers", {})), bool(s.get("rank", True)))
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


def options(settings: Settings, calibration: Calibration | None = None) -> list[LeverSet]:
    """Every change to rank, alone and combined: each rankable scenario, every pair of
    them, and all of them together (levers of a combination are the union)."""
    singles = [s for s in defined_scenarios(settings, calibration) if s.rank]
    out = list(singles)
    for a, b in itertools.combinations(singles, 2):
        out.append(
            LeverSet(f"{a.name}+{b.name}", f"{a.label} + {b.label}", {**a.levers, **b.levers})
        )
    if len(singles) > 2:
        out.append(
            LeverSet(
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
    calibration: Calibration, scenarios: Sequence[LeverSet], *, dt: float | None = None
) -> Results:
    """Run scenarios together (one batched integration); runs are labelled by name."""
    table = pd.DataFrame([scenario_params(calibration, s.levers) for s in scenarios])
    return calibration.run(table, dt=dt, record=OUTPUTS, runs=[s.name for s in scenarios])
