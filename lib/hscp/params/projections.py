"""params/scenarios/projections.yaml: the projection's horizon, variant, age bands, beds
targets, Monte Carlo runs and scenarios (hscp.projection)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import field_validator, model_validator

from hscp.conventions import age_bands
from hscp.params._load import Section, rule

Number = int | float

PROFILES = ("linear", "front-loaded", "back-loaded", "step")
#: Scenario name -> what it changes. The order is the waterfall's order.
SCENARIO_KINDS = {
    "admission_rates": "a trend in age-sex-specific emergency admission rates",
    "length_of_stay": "a change in the average length of an emergency stay",
    "ppa_avoidance": "a share of potentially preventable admissions avoided",
}


class ScenarioSpec(Section):
    """One scenario: an 80% interval (low, high) of its change, how it is phased in."""

    label: str | None = None
    low: Number
    high: Number
    per: Literal["horizon", "year"] = "horizon"
    profile: Literal["linear", "front-loaded", "back-loaded", "step"] = "linear"
    start: int | None = None
    end: int | None = None

    @model_validator(mode="after")
    def _ordered(self):
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) is below low ({self.low})")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        return self


class Beds(Section):
    target_occupancy: Annotated[
        Number, rule(lambda v: 0 < v <= 1, "must be above 0 and at most 1 (a share of beds)")
    ] = 0.85
    target_blocking: Annotated[
        Number, rule(lambda v: 0 < v < 1, "must be between 0 and 1 (a share of arrivals)")
    ] = 0.01


class MonteCarlo(Section):
    runs: Annotated[int, rule(lambda v: v >= 1, "must be 1 or more")] = 5000
    seed: int = 20260601


class ProjectionsFile(Section):
    """params/scenarios/projections.yaml."""

    horizon: Annotated[int, rule(lambda v: 1981 <= v <= 2100, "must be a year")] = 2035
    variant: str | None = None
    age_bands: list[int] = [0, 18, 45, 65, 75, 85]
    beds: Beds = Beds()
    monte_carlo: MonteCarlo = MonteCarlo()
    scenarios: dict[str, ScenarioSpec] = {}

    @field_validator("age_bands")
    @classmethod
    def _bands(cls, value):
        return age_bands.check_bands(value, oldest=age_bands.NRS_OLDEST_AGE)

    @field_validator("variant", mode="before")
    @classmethod
    def _principal_when_empty(cls, value):
        return value or None

    @model_validator(mode="after")
    def _scenarios(self):
        for name, spec in self.scenarios.items():
            where = f"scenarios.{name}"
            if name not in SCENARIO_KINDS:
                raise ValueError(
                    f"unknown scenario {name!r}; the scenarios are {', '.join(SCENARIO_KINDS)}"
                )
            if name == "ppa_avoidance":
                if spec.per != "horizon":
                    raise ValueError(
                        f"{where}: the share of PPAs avoided is per horizon, not per year"
                    )
                if not 0 <= spec.low <= spec.high <= 1:
                    raise ValueError(f"{where}: the share avoided must be between 0 and 1")
            elif spec.low <= -1:
                raise ValueError(f"{where}: a change of {spec.low:.0%} or less would leave nothing")
        return self
