"""params/scenarios/options.yaml: the options a partnership appraises (hscp.appraisal) and
how a change is evaluated (hscp.evaluation): appraisal settings, acute bed day costs
with their source and year, staffing ratios, scoring criteria and weights, the options
with their scores, the evaluation settings and the PDSA cycles of each partnership.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Literal

import pandas as pd
from pydantic import field_validator, model_validator

from hscp.params._load import Section, rule
from hscp.params.projections import PROFILES, SCENARIO_KINDS

Number = int | float

#: What an option changes, and the unit of its size.
OPTION_KINDS = {
    "care_at_home": "care at home hours a week added",
    "step_up_beds": "step-up intermediate care beds added",
    "fewer_ppa": "share of potentially preventable admissions avoided",
    "discharge_to_assess": "share of those waiting in hospital for an assessment assessed at home",
}
#: Kinds whose size is a share (0 to 1); the others are counts (more than 0).
SHARE_KINDS = ("fewer_ppa", "discharge_to_assess")
#: The directions a measure can be better in (as hscp.spc).
IMPROVEMENT = ("increase", "decrease", "neutral")

Positive = Annotated[Number, rule(lambda v: v > 0, "must be above 0")]
Share = Annotated[Number, rule(lambda v: 0 <= v <= 1, "must be from 0 to 1")]


def month_start(value) -> datetime.date:
    """A month like 2024-04 (or a date in it) as the first day of the month."""
    text = value.isoformat() if isinstance(value, datetime.date) else str(value or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
        try:
            return pd.Timestamp(text).to_period("M").to_timestamp().date()
        except ValueError:
            pass
    raise ValueError(f"must be a month like 2024-04, not {value!r}")


class Sourced(Section):
    """A figure with where it comes from and the year it is for."""

    value: Annotated[Number, rule(lambda v: v >= 0, "must not be negative")]
    source: Annotated[str, rule(lambda v: bool(v.strip()), "must say where the figure is from")]
    year: str


class Appraisal(Section):
    period_years: Annotated[int, rule(lambda v: 1 <= v <= 100, "must be 1 to 100 years")] = 10
    discount_rate: Annotated[Number, rule(lambda v: 0 <= v < 1, "must be from 0 to 1")] = 0.035
    price_year: str
    target_occupancy: Annotated[
        Number, rule(lambda v: 0 < v <= 1, "must be above 0 and at most 1")
    ] = 0.85
    ward_size: Annotated[int, rule(lambda v: v >= 1, "must be 1 or more beds")] = 28
    double_running_months: Annotated[Number, rule(lambda v: v >= 0, "must not be negative")] = 0
    counterfactual_scenarios: list[str] = ["admission_rates"]

    @field_validator("counterfactual_scenarios")
    @classmethod
    def _known_scenarios(cls, value):
        unknown = [v for v in value if v not in SCENARIO_KINDS]
        if unknown:
            raise ValueError(f"unknown scenarios {unknown} (known: {list(SCENARIO_KINDS)})")
        return value


class BedDayCosts(Section):
    average: Sourced
    marginal_share: Sourced
    by_specialty: dict[str, Sourced] = {}
    other: Sourced

    @model_validator(mode="after")
    def _share(self):
        if not 0 <= self.marginal_share.value <= 1:
            raise ValueError(
                f"marginal_share.value must be from 0 to 1, not {self.marginal_share.value!r}"
            )
        return self


class Staffing(Section):
    care_at_home_hours_per_wte: Sourced
    intermediate_care_wte_per_place: Sourced
    care_home_wte_per_place: Sourced
    discharge_to_assess_wte_per_place: Sourced
    ppa_wte_per_100_admissions_avoided: Sourced


class Criterion(Section):
    label: str
    weight: Annotated[Number, rule(lambda v: v >= 0, "must not be negative")]


class Milestone(Section):
    """A step of an option's implementation plan: the month of the plan (1 = its first)."""

    month: Annotated[int, rule(lambda v: v >= 1, "must be month 1 or later of the plan")]
    label: str


class OptionSpec(Section):
    """One option: what it changes, by how much, where, how fast, and its scores."""

    label: str
    kind: Literal["care_at_home", "step_up_beds", "fewer_ppa", "discharge_to_assess"]
    size: Number
    low: Number | None = None
    high: Number | None = None
    areas: list[str] = []
    months_to_full: Annotated[int, rule(lambda v: v >= 1, "must be 1 or more months")] = 12
    profile: Literal["linear", "front-loaded", "back-loaded", "step"] = "linear"
    description: str = ""
    scores: dict[str, Number] = {}
    milestones: list[Milestone] = []

    @model_validator(mode="after")
    def _sizes(self):
        low = self.size if self.low is None else self.low
        high = self.size if self.high is None else self.high
        if not low <= self.size <= high:
            raise ValueError(f"size {self.size} must lie from low {low} to high {high}")
        if self.kind in SHARE_KINDS and not (low >= 0 and high <= 1):
            raise ValueError(f"a {self.kind} option's size is a share, from 0 to 1")
        if self.kind not in SHARE_KINDS and low <= 0:
            raise ValueError(f"a {self.kind} option adds capacity: its sizes must be above 0")
        return self


class BalancingMeasure(Section):
    label: str
    improvement: Literal["increase", "decrease", "neutral"] = "decrease"
    neighbours: bool = False


class Evaluation(Section):
    safe_occupancy: Annotated[
        Number, rule(lambda v: 0 < v <= 1, "must be above 0 and at most 1")
    ] = 0.92
    balancing_measures: dict[str, BalancingMeasure] = {}


class PdsaCycleEntry(Section):
    cycle: str
    start: datetime.date
    end: datetime.date | None = None
    locality: str | None = None
    tried: str
    measure: str
    learning: str = ""

    @field_validator("start", "end", mode="before")
    @classmethod
    def _month(cls, value):
        return None if value is None else month_start(value)

    @model_validator(mode="after")
    def _ordered(self):
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end:%Y-%m} is before start {self.start:%Y-%m}")
        return self


class OptionsFile(Section):
    """params/scenarios/options.yaml."""

    appraisal: Appraisal
    bed_day_costs: BedDayCosts
    staffing: Staffing
    criteria: dict[str, Criterion]
    weight_change: Share = 0.2
    options: dict[str, OptionSpec] = {}
    evaluation: Evaluation = Evaluation()
    pdsa_cycles: dict[str, list[PdsaCycleEntry]] = {}

    @model_validator(mode="after")
    def _scores(self):
        for name, option in self.options.items():
            unknown = sorted(set(option.scores) - set(self.criteria))
            if unknown:
                raise ValueError(
                    f"options.{name}.scores: unknown criteria {unknown} (criteria: {list(self.criteria)})"
                )
        if self.criteria and not sum(c.weight for c in self.criteria.values()) > 0:
            raise ValueError("criteria: at least one weight must be above 0")
        return self


__all__ = ["IMPROVEMENT", "OPTION_KINDS", "PROFILES", "SHARE_KINDS", "OptionsFile", "month_start"]
