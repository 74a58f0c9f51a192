"""params/scenarios/system_dynamics.yaml: what the older people's pathway model takes from
outside the partnership's data (hscp.flow): capacities per 1,000 people 65+, how the
services work, unit costs, the scenarios to test, slider ranges, uncertain values,
running and checking.

The names the file may use are the model's vocabulary, defined here: the delay
groups, where delays and intermediate care end, and the levers a scenario sets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import Field, field_validator, model_validator

from hscp.params._load import Section

Number = int | float

#: What people delayed in an acute bed wait for (one stock each).
DELAY_GROUPS = ("assessment", "care_home", "care_at_home", "intermediate_care", "other")
#: Where a delay ends. Services are capacity-limited.
DESTINATIONS = ("home", "died", "treatment", "care_home", "care_at_home", "intermediate_care")
#: Where people leave intermediate care (step-down and step-up) or discharge to assess.
ONWARD = ("home", "care_at_home", "care_home", "died", "acute")
#: The services people can wait for at home.
HOME_SERVICES = ("care_home", "care_at_home")
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


def destinations(group: str) -> list[str]:
    """Where a delay of `group` can end (only delays for intermediate care end in it)."""
    return [d for d in DESTINATIONS if d != "intermediate_care" or group == "intermediate_care"]


def check_shares(shares: Mapping[str, float], allowed: Sequence[str]) -> None:
    """Shares of known destinations that add up to 1; ValueError otherwise."""
    unknown = sorted(set(shares) - set(allowed))
    if unknown:
        raise ValueError(f"unknown destinations {unknown} (allowed: {list(allowed)})")
    if abs(sum(shares.values()) - 1) > 1e-6:
        raise ValueError(f"shares add up to {sum(shares.values()):.3f}, not 1")


class CapacityPer1000(Section):
    care_home_places: Number
    care_at_home_hours_per_week: Number
    intermediate_care_beds: Number


class Assumptions(Section):
    care_home_length_of_stay: Number
    care_at_home_length_of_stay: Number
    care_at_home_died_share: Number
    hours_per_package: Number
    step_down_length_of_stay: Number
    step_up_length_of_stay: Number
    step_up_share_of_admissions: Number
    step_down_shares: dict[str, Number]
    step_up_shares: dict[str, Number]
    assessment_days_at_home: Number
    community_mortality_per_year: Number
    waiting_mortality_per_year: Number
    home_arrangement_days: dict[str, Number]
    capacity_share_bounds: list[Number]
    capacity_share_default: Number
    least_share_from_home: Number = Field(ge=0, lt=1)
    shortest_wait_days: Number
    default_destinations: dict[str, dict[str, Number]]

    @field_validator("step_down_shares", "step_up_shares")
    @classmethod
    def _onward(cls, value):
        check_shares(value, ONWARD)
        return value

    @field_validator("home_arrangement_days")
    @classmethod
    def _home_services(cls, value):
        missing = [s for s in HOME_SERVICES if s not in value]
        if missing or set(value) - set(HOME_SERVICES):
            raise ValueError(f"must give days for {', '.join(HOME_SERVICES)} (and nothing else)")
        return value

    @field_validator("capacity_share_bounds")
    @classmethod
    def _bounds(cls, value):
        if len(value) != 2 or not 0 <= value[0] <= value[1] <= 1:
            raise ValueError("must be [low, high], two shares from 0 to 1, low first")
        return value

    @field_validator("default_destinations")
    @classmethod
    def _every_group(cls, value):
        for group in DELAY_GROUPS:
            try:
                check_shares(value.get(group, {}), destinations(group))
            except ValueError as err:
                raise ValueError(f"{group}: {err}") from None
        unknown = sorted(set(value) - set(DELAY_GROUPS))
        if unknown:
            raise ValueError(f"unknown delay groups {unknown} (the groups: {list(DELAY_GROUPS)})")
        return value


class UnitCosts(Section):
    acute_bed_day: Number
    care_home_week: Number
    care_at_home_hour: Number
    intermediate_care_bed_day: Number
    discharge_to_assess_day: Number
    ppa_avoided_admission: Number
    los_bed_day_saved: Number
    # What the integration indicators price the year's activity with (empty: not priced).
    long_stay_bed_day: Number | None = None
    mental_health_bed_day: Number | None = None
    ae_attendance: Number | None = None


class Levers(Section):
    """The levers a scenario sets (those it leaves out stay at their baseline)."""

    care_home_increase: Number | None = None
    care_at_home_increase: Number | None = None
    intermediate_care_increase: Number | None = None
    discharge_to_assess_share: Number | None = None
    ppa_avoided: Number | None = None
    los_reduction: Number | None = None
    population_year: int | None = None
    services_grow_with_need: bool | None = None


class ScenarioDefinition(Section):
    label: str
    levers: Levers = Levers()
    rank: bool = True


class Uncertain(Section):
    low: Number
    high: Number
    label: str
    unit: str = ""


class Run(Section):
    dt: Number
    run_in_days: int
    calibration_months: int

    @model_validator(mode="after")
    def _positive(self):
        if self.dt <= 0 or self.run_in_days < 0 or self.calibration_months < 1:
            raise ValueError(
                "dt must be above 0, run_in_days 0 or more, calibration_months 1 or more"
            )
        return self


class Tolerance(Section):
    occupied_beds: Number
    delayed_bed_days: Number


class SystemDynamicsFile(Section):
    """params/scenarios/system_dynamics.yaml."""

    capacity_per_1000_65plus: CapacityPer1000
    assumptions: Assumptions
    unit_costs: UnitCosts
    scenarios: dict[str, ScenarioDefinition] = {}
    sliders: dict[str, list[Number]] = {}
    uncertain: dict[str, Uncertain] = {}
    run: Run
    tolerance: Tolerance
    sources: dict[str, str] = {}

    @field_validator("sliders")
    @classmethod
    def _slider_ranges(cls, value):
        for lever, spec in value.items():
            if lever not in LEVERS:
                raise ValueError(f"unknown lever {lever!r}; levers: {', '.join(LEVERS)}")
            if len(spec) != 3 or not spec[0] <= spec[1] or spec[2] <= 0:
                raise ValueError(f"{lever} must be [min, max, step], not {spec}")
        return value

    @model_validator(mode="after")
    def _uncertain_values_exist(self):
        known = {
            *Assumptions.model_fields,
            *UnitCosts.model_fields,
            "capacity_share_shift",
            *(f"{s}_arrangement_days" for s in HOME_SERVICES),
        }
        for name, spec in self.uncertain.items():
            if name not in known:
                raise ValueError(
                    f"uncertain.{name}: not an assumption, a unit cost, capacity_share_shift "
                    "or <service>_arrangement_days"
                )
            if spec.high < spec.low:
                raise ValueError(f"uncertain.{name}: high ({spec.high}) is below low ({spec.low})")
        return self
